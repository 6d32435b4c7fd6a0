using Preau.Data.Directory;
using Preau.Data.Messaging;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Messaging;

/// <summary>A class or group as a target of a whole-class message or news item.</summary>
internal sealed record GroupTarget(Guid Id, Guid SchoolId, Guid RegionId);

/// <summary>One school's switches; <see cref="Defaults"/> when the school has not changed them.</summary>
internal sealed record CommunicationRuleSet(
    bool PupilsToTeachers = true,
    bool PupilsToStaff = true,
    bool PupilsToClassmates = true,
    bool ParentsToTeachers = true,
    bool ParentsToStaff = true,
    bool TeachersToParents = true,
    bool TeachersToWholeClasses = true,
    bool StaffToWholeSchool = true,
    bool TeachersToAnyPupilOrParent = true)
{
    public static CommunicationRuleSet Defaults { get; } = new();

    public static CommunicationRuleSet From(SchoolCommunicationRules r) => new(r.PupilsToTeachers, r.PupilsToStaff,
        r.PupilsToClassmates, r.ParentsToTeachers, r.ParentsToStaff, r.TeachersToParents, r.TeachersToWholeClasses, r.StaffToWholeSchool,
        r.TeachersToAnyPupilOrParent);
}

/// <summary>
/// Who may write to whom. One pure function used by the recipient picker, the send endpoint
/// and news publication, so that what the picker offers and what the server accepts cannot drift.
/// The rules applied are those of the school where the exchange happens: the sender's school,
/// or for a parent (who belongs to no school) the recipient's school.
/// </summary>
internal static class CommunicationRules
{
    public static bool MayWriteTo(PersonRelations sender, PersonRelations recipient, Func<Guid, CommunicationRuleSet> rulesOf)
    {
        if (sender.Id == recipient.Id || sender.RegionId != recipient.RegionId)
        {
            return false;
        }

        // Region staff are the only ones who write across schools.
        if (sender.Profile == Profile.RegionAdmin)
        {
            return true;
        }

        if (recipient.Profile == Profile.RegionAdmin)
        {
            return sender.IsSchoolStaff;
        }

        switch (sender.Profile)
        {
            case Profile.Pupil when sender.SchoolId is { } school && recipient.SchoolId == school:
                var pupilRules = rulesOf(school);
                return recipient.Profile switch
                {
                    Profile.Teacher => pupilRules.PupilsToTeachers && recipient.TaughtGroups.Overlaps(sender.Groups),
                    Profile.Staff or Profile.SchoolAdmin => pupilRules.PupilsToStaff,
                    Profile.Pupil => pupilRules.PupilsToClassmates && recipient.Groups.Overlaps(sender.Groups),
                    _ => false,
                };
            case Profile.Parent when recipient.SchoolId is { } school && sender.ChildSchools.Contains(school):
                var parentRules = rulesOf(school);
                return recipient.Profile switch
                {
                    Profile.Teacher => parentRules.ParentsToTeachers && recipient.TaughtGroups.Overlaps(sender.ChildGroups),
                    Profile.Staff or Profile.SchoolAdmin => parentRules.ParentsToStaff,
                    _ => false,
                };
            case Profile.Teacher when sender.SchoolId is { } school:
                // A teacher writes to the pupils and parents of the groups they teach; to every
                // pupil and parent of the school only while the school keeps that switch on.
                var teacherRules = rulesOf(school);
                return recipient.Profile switch
                {
                    Profile.Parent => recipient.ChildSchools.Contains(school) && teacherRules.TeachersToParents
                        && (teacherRules.TeachersToAnyPupilOrParent || recipient.ChildGroups.Overlaps(sender.TaughtGroups)),
                    Profile.Pupil => recipient.SchoolId == school
                        && (teacherRules.TeachersToAnyPupilOrParent || recipient.Groups.Overlaps(sender.TaughtGroups)),
                    _ => recipient.SchoolId == school,
                };
            case Profile.Staff or Profile.SchoolAdmin when sender.SchoolId is { } school:
                return recipient.Profile == Profile.Parent ? recipient.ChildSchools.Contains(school) : recipient.SchoolId == school;
            default:
                return false;
        }
    }

    /// <summary>The pupils or the parents of a whole class: its teachers and the school's staff.</summary>
    public static bool MayAddressGroup(PersonRelations sender, GroupTarget group, Func<Guid, CommunicationRuleSet> rulesOf)
    {
        if (sender.RegionId != group.RegionId)
        {
            return false;
        }

        return sender.Profile switch
        {
            Profile.RegionAdmin => true,
            Profile.Staff or Profile.SchoolAdmin => sender.SchoolId == group.SchoolId,
            Profile.Teacher => sender.SchoolId == group.SchoolId && sender.TaughtGroups.Contains(group.Id)
                && rulesOf(group.SchoolId).TeachersToWholeClasses,
            _ => false,
        };
    }

    /// <summary>Everyone of a profile in a school: only the school's staff, and region staff.</summary>
    public static bool MayAddressSchoolProfile(PersonRelations sender, Guid schoolId, Guid schoolRegionId, Func<Guid, CommunicationRuleSet> rulesOf)
    {
        if (sender.RegionId != schoolRegionId)
        {
            return false;
        }

        return sender.Profile switch
        {
            Profile.RegionAdmin => true,
            Profile.Staff or Profile.SchoolAdmin => sender.SchoolId == schoolId && rulesOf(schoolId).StaffToWholeSchool,
            _ => false,
        };
    }
}
