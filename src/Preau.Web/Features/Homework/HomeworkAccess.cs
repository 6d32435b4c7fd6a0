using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.PeopleDirectory;

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
/// Which notebook (and timetable) a request reads, built on <see cref="Relations"/>: a pupil reads
/// their groups, a parent one child's, a teacher the groups they teach, staff and head every group
/// of their school. The route group lets only those profiles in; this narrows to the child asked for.
/// Relations are cached, so the 9:00 crowd does not ask the database who is in which class;
/// writes re-check in the database.
/// </summary>
internal sealed class HomeworkAccess(PreauDbContext db, Relations relations)
{
    public async Task<(ScopeOutcome Outcome, HomeworkScope? Scope)> ResolveAsync(ClaimsPrincipal user, Guid? studentId, CancellationToken ct)
    {
        var me = await relations.GetAsync(user, ct);
        switch (me?.Profile)
        {
            case null:
                return (ScopeOutcome.Forbidden, null);
            case Profile.Pupil when studentId is { } other && other != me.Id:
                return (ScopeOutcome.Forbidden, null);
            case Profile.Pupil:
                return (ScopeOutcome.Ok, new HomeworkScope(me.Id, Profile.Pupil, me.Id, Sorted(me.Groups)));
            case Profile.Parent:
                var child = studentId is { } asked ? me.Children.FirstOrDefault(c => c.Id == asked)
                    : me.Children.Count == 1 ? me.Children[0] : null;
                if (child is null)
                {
                    return (studentId is null && me.Children.Count > 1 ? ScopeOutcome.StudentRequired : ScopeOutcome.Forbidden, null);
                }

                return (ScopeOutcome.Ok, new HomeworkScope(me.Id, Profile.Parent, child.Id, Sorted(child.Groups)));
            case Profile.RegionAdmin:
                // In no class: no notebook (the route groups refuse them before this).
                return (ScopeOutcome.Forbidden, null);
            default:
                return (ScopeOutcome.Ok, new HomeworkScope(me.Id, me.Profile, null, Sorted(await relations.VisibleGroupsAsync(me, ct))));
        }
    }

    public async Task<List<ChildInfo>> ChildrenAsync(Guid parentId, CancellationToken ct) =>
        await relations.GetAsync(parentId, ct) is { } me ? [.. me.Children.Select(c => new ChildInfo(c.Id, c.Name))] : [];

    /// <summary>The groups of an entry the user may read, or null (unknown or not theirs: both answer 404).
    /// A parent with several children and no studentId may read any of their children's entries.</summary>
    public async Task<Guid?> VisibleEntryGroupAsync(ClaimsPrincipal user, Guid entryId, Guid? studentId, CancellationToken ct)
    {
        var me = await relations.GetAsync(user, ct);
        if (me is null)
        {
            return null;
        }

        IReadOnlySet<Guid> visible;
        if (studentId is { } child && me.Profile != Profile.Teacher && !me.IsSchoolStaff)
        {
            var (_, scope) = await ResolveAsync(user, child, ct);
            visible = scope is null ? new HashSet<Guid>() : scope.GroupIds.ToHashSet();
        }
        else
        {
            visible = await relations.VisibleGroupsAsync(me, ct);
        }

        var groupId = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == entryId).Select(e => (Guid?)e.GroupId).FirstOrDefaultAsync(ct);
        return groupId is { } g && visible.Contains(g) ? g : null;
    }

    /// <summary>Writes check the database, never the cache: the teacher teaches this subject to this group now.</summary>
    public Task<bool> TeachesAsync(Guid teacherId, Guid groupId, Guid subjectId, CancellationToken ct) =>
        relations.TeachesNowAsync(teacherId, groupId, subjectId, ct);

    private static List<Guid> Sorted(IEnumerable<Guid> groups) => [.. groups.Order()];
}
