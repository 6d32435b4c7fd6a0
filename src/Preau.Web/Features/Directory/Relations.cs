using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.PeopleDirectory;

/// <summary>
/// The one answer to "what is this person tied to" (<see cref="PersonRelations"/>), cached per person
/// in <see cref="RelationsCache"/>, and the resource checks every feature builds on. Each feature keeps
/// its own checks next to its resource (a homework entry, a message) but asks here who sees which
/// school, group and pupil, so the answers cannot drift between features.
///
/// The region administrator's reach is decided here, once: every school of their region (its
/// communication rules, its people as correspondents, the gate), but no class records: they are in
/// no class, so they read no notebook, no timetable and no pupil's file.
/// </summary>
internal sealed class Relations(PreauDbContext db, RelationsCache cache)
{
    /// <summary>The signed-in person's ties; null when the person no longer exists.</summary>
    public Task<PersonRelations?> GetAsync(ClaimsPrincipal user, CancellationToken ct) => GetAsync(user.GetPersonId(), ct);

    public async Task<PersonRelations?> GetAsync(Guid personId, CancellationToken ct)
    {
        if (cache.TryGet(personId, out var hit))
        {
            return hit;
        }

        return (await GetManyAsync([personId], ct)).GetValueOrDefault(personId);
    }

    /// <summary>Several people at once (a recipient picker, an audience): cached ones from memory,
    /// the others in one batch of five queries whatever their number.</summary>
    public async Task<Dictionary<Guid, PersonRelations>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var found = new Dictionary<Guid, PersonRelations>();
        var missing = new List<Guid>();
        foreach (var id in ids.Distinct())
        {
            if (cache.TryGet(id, out var hit) && hit is not null)
            {
                found[id] = hit;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            foreach (var loaded in await LoadAsync(missing, ct))
            {
                cache.Set(loaded);
                found[loaded.Id] = loaded;
            }
        }

        return found;
    }

    private async Task<List<PersonRelations>> LoadAsync(List<Guid> ids, CancellationToken ct)
    {
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.Profile, p.SchoolId, p.RegionId }).ToListAsync(ct);
        // Only the ties a profile can have: a pupil's first visit costs two small queries, not five.
        var pupils = people.Where(p => p.Profile == Profile.Pupil).Select(p => p.Id).ToList();
        var teachers = people.Where(p => p.Profile == Profile.Teacher).Select(p => p.Id).ToList();
        var parents = people.Where(p => p.Profile == Profile.Parent).Select(p => p.Id).ToList();
        var attended = await GroupsOfAsync(pupils, ct);
        var taught = (teachers.Count == 0 ? [] : await db.TeachingAssignments.AsNoTracking().Where(t => teachers.Contains(t.TeacherId))
            .Select(t => new { t.TeacherId, t.GroupId, t.SubjectId }).ToListAsync(ct))
            .ToLookup(t => t.TeacherId, t => new TaughtClass(t.GroupId, t.SubjectId));
        var children = (parents.Count == 0 ? [] : await db.GuardianLinks.AsNoTracking().Where(l => parents.Contains(l.ParentId))
            .OrderBy(l => l.Child!.FirstName).ThenBy(l => l.ChildId)
            .Select(l => new { l.ParentId, l.ChildId, l.Child!.FirstName, l.Child.LastName, l.Child.SchoolId }).ToListAsync(ct))
            .ToLookup(l => l.ParentId);
        var childIds = children.SelectMany(c => c.Select(x => x.ChildId)).Distinct().ToList();
        var childGroups = await GroupsOfAsync(childIds, ct);

        return [.. people.Select(p =>
        {
            var kids = children[p.Id].Select(c => new ChildRelations(c.ChildId, $"{c.FirstName} {c.LastName}", c.SchoolId,
                childGroups[c.ChildId].ToHashSet())).ToList();
            var teaching = taught[p.Id].ToList();
            return new PersonRelations(p.Id, p.Profile, p.SchoolId, p.RegionId,
                attended[p.Id].ToHashSet(), teaching.Select(t => t.GroupId).ToHashSet(),
                kids.SelectMany(k => k.Groups).ToHashSet(), kids.Where(k => k.SchoolId != null).Select(k => k.SchoolId!.Value).ToHashSet())
            {
                Teaching = teaching,
                Children = kids,
            };
        })];
    }

    private async Task<ILookup<Guid, Guid>> GroupsOfAsync(List<Guid> pupilIds, CancellationToken ct) =>
        (pupilIds.Count == 0 ? [] : await db.GroupMemberships.AsNoTracking().Where(m => pupilIds.Contains(m.PupilId))
            .Select(m => new { m.PupilId, m.GroupId }).ToListAsync(ct)).ToLookup(m => m.PupilId, m => m.GroupId);

    /// <summary>Every class and group of a school (cached like people).</summary>
    public async Task<IReadOnlySet<Guid>> SchoolGroupsAsync(Guid schoolId, CancellationToken ct)
    {
        if (cache.TryGetSchoolGroups(schoolId, out var hit) && hit is not null)
        {
            return hit;
        }

        var groups = (await db.Groups.AsNoTracking().Where(g => g.SchoolId == schoolId).Select(g => g.Id).ToListAsync(ct)).ToHashSet();
        cache.SetSchoolGroups(schoolId, groups);
        return groups;
    }

    /// <summary>The classes and groups whose records (notebook, timetable) this person reads: those
    /// attended (pupil), taught (teacher), attended by a child (parent, all children), every group of
    /// the school (staff, head). None for a region administrator.</summary>
    public async Task<IReadOnlySet<Guid>> VisibleGroupsAsync(PersonRelations who, CancellationToken ct) => who.Profile switch
    {
        Profile.Pupil => who.Groups,
        Profile.Teacher => who.TaughtGroups,
        Profile.Parent => who.ChildGroups,
        Profile.Staff or Profile.SchoolAdmin when who.SchoolId is { } school => await SchoolGroupsAsync(school, ct),
        _ => new HashSet<Guid>(),
    };

    public async Task<bool> CanSeeGroupAsync(PersonRelations who, Guid groupId, CancellationToken ct) =>
        (await VisibleGroupsAsync(who, ct)).Contains(groupId);

    /// <summary>May post homework or a lesson's content to a group for a subject is
    /// <see cref="PersonRelations.Teaches"/> (from the cache); this is the database's answer, for writes: the teacher teaches this subject to this group now.</summary>
    public Task<bool> TeachesNowAsync(Guid teacherId, Guid groupId, Guid subjectId, CancellationToken ct) =>
        db.TeachingAssignments.AsNoTracking().AnyAsync(t => t.TeacherId == teacherId && t.GroupId == groupId && t.SubjectId == subjectId, ct);

    /// <summary>May read what a school publishes about itself (its communication rules): its members,
    /// its pupils' guardians, the administrators of its region.</summary>
    public async Task<bool> CanSeeSchoolAsync(PersonRelations who, Guid schoolId, CancellationToken ct) =>
        who.BelongsToSchool(schoolId) || (who.Profile == Profile.RegionAdmin && await IsInRegionAsync(schoolId, who.RegionId, ct));

    /// <summary>May change a school's settings: its head, or an administrator of its region.</summary>
    public async Task<bool> CanManageSchoolAsync(PersonRelations who, Guid schoolId, CancellationToken ct) => who.Profile switch
    {
        Profile.SchoolAdmin => who.SchoolId == schoolId,
        Profile.RegionAdmin => await IsInRegionAsync(schoolId, who.RegionId, ct),
        _ => false,
    };

    /// <summary>A pupil's file: the pupil, their guardian, a teacher of one of their groups, the staff
    /// and head of their school. Pupils do not see other pupils' files; the region administrator sees none.</summary>
    public async Task<bool> CanSeePupilAsync(PersonRelations who, Guid pupilId, CancellationToken ct)
    {
        if (who.Profile is Profile.RegionAdmin || (who.Profile is Profile.Pupil && who.Id != pupilId))
        {
            return false;
        }

        var pupil = await GetAsync(pupilId, ct);
        if (pupil is null || pupil.Profile != Profile.Pupil)
        {
            return false;
        }

        return who.Profile switch
        {
            Profile.Pupil => true,
            Profile.Parent => who.IsGuardianOf(pupilId),
            Profile.Teacher => who.TaughtGroups.Overlaps(pupil.Groups),
            _ => who.IsSchoolStaff && who.SchoolId == pupil.SchoolId,
        };
    }

    private Task<bool> IsInRegionAsync(Guid schoolId, Guid regionId, CancellationToken ct) =>
        db.Schools.AsNoTracking().AnyAsync(s => s.Id == schoolId && s.RegionId == regionId, ct);
}
