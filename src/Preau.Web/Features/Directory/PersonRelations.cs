using Preau.Data.Directory;

namespace Preau.Web.Features.PeopleDirectory;

/// <summary>A subject a teacher teaches to a class or group.</summary>
internal sealed record TaughtClass(Guid GroupId, Guid SubjectId);

/// <summary>A guardian's child: who, where, and which classes and groups.</summary>
internal sealed record ChildRelations(Guid Id, string Name, Guid? SchoolId, IReadOnlySet<Guid> Groups);

/// <summary>
/// What one person is tied to: their school and region, the classes and groups they attend (pupil),
/// teach (teacher, with the subjects), or their children attend (guardian). Plain data, loaded and
/// cached by <see cref="Relations"/>, so rules built on it (communication rules, audiences) stay pure.
/// </summary>
internal sealed record PersonRelations(
    Guid Id,
    Profile Profile,
    Guid? SchoolId,
    Guid RegionId,
    IReadOnlySet<Guid> Groups,
    IReadOnlySet<Guid> TaughtGroups,
    IReadOnlySet<Guid> ChildGroups,
    IReadOnlySet<Guid> ChildSchools)
{
    private static readonly HashSet<Guid> s_none = [];

    /// <summary>Every class and subject pair a teacher teaches.</summary>
    public IReadOnlyList<TaughtClass> Teaching { get; init; } = [];

    /// <summary>A guardian's children, by first name.</summary>
    public IReadOnlyList<ChildRelations> Children { get; init; } = [];

    public static PersonRelations Simple(Guid id, Profile profile, Guid? schoolId, Guid regionId) =>
        new(id, profile, schoolId, regionId, s_none, s_none, s_none, s_none);

    /// <summary>Vie scolaire or head of the school (not teachers).</summary>
    public bool IsSchoolStaff => Profile is Profile.Staff or Profile.SchoolAdmin;

    /// <summary>The schools this person's life happens in: their own, or their children's.
    /// Empty for a region administrator, whose reach is the region (see <see cref="Relations"/>).</summary>
    public IReadOnlyList<Guid> Schools => SchoolId is { } s ? [s, .. ChildSchools.Where(c => c != s)] : [.. ChildSchools];

    public bool IsGuardianOf(Guid pupilId) => Profile == Profile.Parent && Children.Any(c => c.Id == pupilId);

    /// <summary>Member of the school (pupil, teacher, staff, head) or guardian of one of its pupils.</summary>
    public bool BelongsToSchool(Guid schoolId) => SchoolId == schoolId || ChildSchools.Contains(schoolId);

    /// <summary>Teaches this subject to this group (as last loaded: writes re-check the database).</summary>
    public bool Teaches(Guid groupId, Guid subjectId) =>
        Profile == Profile.Teacher && Teaching.Any(t => t.GroupId == groupId && t.SubjectId == subjectId);
}
