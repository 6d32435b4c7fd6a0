using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;

namespace Preau.Web.Features.Accounts;

/// <summary>
/// Resource checks every feature calls after its profile policy: may this user see this school,
/// class, group or pupil? Each answer is one query that puts the relation in the WHERE (AsNoTracking,
/// AnyAsync), so it is cheap and never loads rows it does not need. Unknown ids answer false,
/// like forbidden ones: endpoints turn both into 404 so ids of other schools cannot be probed.
/// </summary>
internal sealed class Access(PreauDbContext db)
{
    /// <summary>The user belongs to that school (pupil, teacher, staff, school admin), has a child
    /// there (parent), or administers its region.</summary>
    public async Task<bool> IsSameSchoolAsync(ClaimsPrincipal user, Guid schoolId, CancellationToken ct = default)
    {
        var me = user.GetPersonId();
        switch (user.GetProfile())
        {
            case Profile.Pupil or Profile.Teacher or Profile.Staff or Profile.SchoolAdmin:
                return user.GetSchoolId() == schoolId;
            case Profile.Parent:
                return await db.GuardianLinks.AsNoTracking()
                    .AnyAsync(l => l.ParentId == me && l.Child!.SchoolId == schoolId, ct);
            case Profile.RegionAdmin:
                var region = user.GetRegionId();
                return await db.Schools.AsNoTracking().AnyAsync(s => s.Id == schoolId && s.RegionId == region, ct);
            default:
                return false;
        }
    }

    /// <summary>Pupil member of it, teacher teaching it, staff or admin of its school, parent of a
    /// pupil in it, region admin of its region.</summary>
    public async Task<bool> CanSeeGroupAsync(ClaimsPrincipal user, Guid groupId, CancellationToken ct = default)
    {
        var me = user.GetPersonId();
        var groups = db.Groups.AsNoTracking().Where(g => g.Id == groupId);
        switch (user.GetProfile())
        {
            case Profile.Pupil:
                return await db.GroupMemberships.AsNoTracking().AnyAsync(m => m.GroupId == groupId && m.PupilId == me, ct);
            case Profile.Teacher:
                return await TeachesGroupAsync(user, groupId, ct);
            case Profile.Staff or Profile.SchoolAdmin:
                var school = user.GetSchoolId();
                return school is not null && await groups.AnyAsync(g => g.SchoolId == school, ct);
            case Profile.Parent:
                return await db.GroupMemberships.AsNoTracking().AnyAsync(m => m.GroupId == groupId
                    && db.GuardianLinks.Any(l => l.ParentId == me && l.ChildId == m.PupilId), ct);
            case Profile.RegionAdmin:
                var region = user.GetRegionId();
                return await groups.AnyAsync(g => g.School!.RegionId == region, ct);
            default:
                return false;
        }
    }

    /// <summary>The user is a teacher with at least one assignment (any subject) in that group.</summary>
    public async Task<bool> TeachesGroupAsync(ClaimsPrincipal user, Guid groupId, CancellationToken ct = default)
    {
        if (user.GetProfile() != Profile.Teacher)
        {
            return false;
        }

        var me = user.GetPersonId();
        return await db.TeachingAssignments.AsNoTracking().AnyAsync(t => t.TeacherId == me && t.GroupId == groupId, ct);
    }

    /// <summary>The user is a parent with a guardian link to that pupil.</summary>
    public async Task<bool> IsGuardianOfAsync(ClaimsPrincipal user, Guid pupilId, CancellationToken ct = default)
    {
        if (user.GetProfile() != Profile.Parent)
        {
            return false;
        }

        var me = user.GetPersonId();
        return await db.GuardianLinks.AsNoTracking().AnyAsync(l => l.ParentId == me && l.ChildId == pupilId, ct);
    }

    /// <summary>The pupil themself, their guardian, a teacher of one of their groups, staff or admin
    /// of their school, the region admin of their region. Pupils do not see other pupils' records.</summary>
    public async Task<bool> CanSeePupilAsync(ClaimsPrincipal user, Guid pupilId, CancellationToken ct = default)
    {
        var me = user.GetPersonId();
        var pupils = db.People.AsNoTracking().Where(p => p.Id == pupilId && p.Profile == Profile.Pupil);
        switch (user.GetProfile())
        {
            case Profile.Pupil:
                return me == pupilId && await pupils.AnyAsync(ct);
            case Profile.Parent:
                return await IsGuardianOfAsync(user, pupilId, ct);
            case Profile.Teacher:
                return await db.GroupMemberships.AsNoTracking().AnyAsync(m => m.PupilId == pupilId
                    && db.TeachingAssignments.Any(t => t.TeacherId == me && t.GroupId == m.GroupId), ct);
            case Profile.Staff or Profile.SchoolAdmin:
                var school = user.GetSchoolId();
                return school is not null && await pupils.AnyAsync(p => p.SchoolId == school, ct);
            case Profile.RegionAdmin:
                var region = user.GetRegionId();
                return await pupils.AnyAsync(p => p.RegionId == region, ct);
            default:
                return false;
        }
    }
}
