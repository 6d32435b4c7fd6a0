using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Homework;

internal enum ScopeOutcome
{
    Ok,

    /// <summary>A parent must say which child.</summary>
    StudentRequired,

    /// <summary>Not this person's child, or a profile that has no notebook.</summary>
    Forbidden,
}

internal sealed record ChildInfo(Guid Id, string Name);

/// <summary>
/// Who reads which notebook. Resource checks written as queries inside the feature: a pupil reads
/// the groups they belong to, a parent those of their children, a teacher the groups they teach,
/// staff and school administrators every group of their school. Region administrators have no
/// notebook. The answers for reads are kept in memory for <see cref="HomeworkOptions.DirectoryCacheSeconds"/>
/// so that the 9:00 crowd does not ask the database who is in which class; writes re-check in the database.
/// </summary>
internal sealed class HomeworkAccess(PreauDbContext db, IMemoryCache cache, IOptions<HomeworkOptions> options)
{
    private TimeSpan Ttl => TimeSpan.FromSeconds(options.Value.DirectoryCacheSeconds);

    public async Task<(ScopeOutcome Outcome, HomeworkScope? Scope)> ResolveAsync(ClaimsPrincipal user, Guid? studentId, CancellationToken ct)
    {
        var me = user.GetPersonId();
        var profile = user.GetProfile();
        switch (profile)
        {
            case Profile.Pupil:
                if (studentId is { } other && other != me)
                {
                    return (ScopeOutcome.Forbidden, null);
                }

                return (ScopeOutcome.Ok, new HomeworkScope(me, Profile.Pupil, me, await PupilGroupsAsync(me, ct)));
            case Profile.Parent:
                var children = await ChildrenAsync(me, ct);
                var child = studentId ?? (children.Count == 1 ? children[0].Id : (Guid?)null);
                if (child is null)
                {
                    return (children.Count == 0 ? ScopeOutcome.Forbidden : ScopeOutcome.StudentRequired, null);
                }

                if (!children.Any(c => c.Id == child))
                {
                    return (ScopeOutcome.Forbidden, null);
                }

                return (ScopeOutcome.Ok, new HomeworkScope(me, Profile.Parent, child, await PupilGroupsAsync(child.Value, ct)));
            case Profile.Teacher:
                return (ScopeOutcome.Ok, new HomeworkScope(me, Profile.Teacher, null, await TeacherGroupsAsync(me, ct)));
            case Profile.Staff or Profile.SchoolAdmin when user.GetSchoolId() is { } school:
                return (ScopeOutcome.Ok, new HomeworkScope(me, profile.Value, null, await SchoolGroupsAsync(school, ct)));
            default:
                return (ScopeOutcome.Forbidden, null);
        }
    }

    public Task<List<ChildInfo>> ChildrenAsync(Guid parentId, CancellationToken ct) =>
        Cached($"hw:children:{parentId}", () => db.GuardianLinks.AsNoTracking()
            .Where(l => l.ParentId == parentId)
            .OrderBy(l => l.Child!.FirstName)
            .Select(l => new ChildInfo(l.ChildId, l.Child!.FirstName + " " + l.Child.LastName))
            .ToListAsync(ct));

    public Task<List<Guid>> PupilGroupsAsync(Guid pupilId, CancellationToken ct) =>
        Cached($"hw:pupil:{pupilId}", () => db.GroupMemberships.AsNoTracking()
            .Where(m => m.PupilId == pupilId).Select(m => m.GroupId).ToListAsync(ct));

    public Task<List<Guid>> TeacherGroupsAsync(Guid teacherId, CancellationToken ct) =>
        Cached($"hw:teacher:{teacherId}", () => db.TeachingAssignments.AsNoTracking()
            .Where(t => t.TeacherId == teacherId).Select(t => t.GroupId).Distinct().ToListAsync(ct));

    private Task<List<Guid>> SchoolGroupsAsync(Guid schoolId, CancellationToken ct) =>
        Cached($"hw:school:{schoolId}", () => db.Groups.AsNoTracking()
            .Where(g => g.SchoolId == schoolId).OrderBy(g => g.Name).Select(g => g.Id).ToListAsync(ct));

    /// <summary>The group of an entry the user may read, or null (unknown or not theirs: both answer 404).</summary>
    public async Task<Guid?> VisibleEntryGroupAsync(ClaimsPrincipal user, Guid entryId, Guid? studentId, CancellationToken ct)
    {
        var (outcome, scope) = await ResolveAsync(user, studentId, ct);
        if (outcome != ScopeOutcome.Ok || scope is null)
        {
            // A parent with several children and no studentId: any of their children's groups will do.
            if (outcome != ScopeOutcome.StudentRequired)
            {
                return null;
            }

            var groups = new List<Guid>();
            foreach (var child in await ChildrenAsync(user.GetPersonId(), ct))
            {
                groups.AddRange(await PupilGroupsAsync(child.Id, ct));
            }

            scope = new HomeworkScope(user.GetPersonId(), Profile.Parent, null, groups);
        }

        var groupId = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == entryId).Select(e => (Guid?)e.GroupId).FirstOrDefaultAsync(ct);
        return groupId is { } g && scope.GroupIds.Contains(g) ? g : null;
    }

    /// <summary>Writes check the database, never the cache: the teacher teaches this subject to this group now.</summary>
    public Task<bool> TeachesAsync(Guid teacherId, Guid groupId, Guid subjectId, CancellationToken ct) =>
        db.TeachingAssignments.AnyAsync(t => t.TeacherId == teacherId && t.GroupId == groupId && t.SubjectId == subjectId, ct);

    private async Task<List<T>> Cached<T>(string key, Func<Task<List<T>>> load)
    {
        if (cache.TryGetValue(key, out List<T>? hit) && hit is not null)
        {
            return hit;
        }

        var value = await load();
        if (Ttl > TimeSpan.Zero)
        {
            cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Ttl, Size = 1 });
        }

        return value;
    }
}
