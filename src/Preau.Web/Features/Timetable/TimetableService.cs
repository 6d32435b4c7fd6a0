using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Timetable;
using Preau.Web.Features.Homework;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Timetable;

/// <summary>One lesson on one date, with its one-off change applied.</summary>
internal sealed record LessonOccurrence(
    Guid LessonId,
    DateOnly Date,
    TimeOnly Start,
    TimeOnly End,
    Guid GroupId,
    string GroupName,
    string SubjectName,
    string TeacherName,
    string Room,
    LessonChangeKind? Change,
    string? NewRoom,
    string? ReplacementTeacherName,
    string? Note,
    int Sequence = 0,
    DateTimeOffset UpdatedAt = default)
{
    public bool Cancelled => Change == LessonChangeKind.Cancelled;
    public string EffectiveRoom => NewRoom ?? Room;
}

/// <summary>
/// A version bumped by every timetable write, on every node (<see cref="CacheBus"/>), so cached
/// days and calendar feeds are dropped at once; the time limit covers lessons imported straight
/// into the database. Also carries the revocation of one calendar address to every node.
/// </summary>
internal sealed class TimetableVersion(CacheBus bus, IMemoryCache cache) : ISharedCache
{
    private const string FeedPrefix = "feed:";
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    /// <summary>False while another node could change lessons without this one hearing of it.</summary>
    public bool CachesUsable => bus.CachesUsable;

    public void Bump() => bus.Publish(Kind, null);

    /// <summary>A revoked calendar address stops being served from memory on every node.</summary>
    public void ForgetFeed(string cacheKey) => bus.Publish(Kind, FeedPrefix + cacheKey);

    public string Kind => "timetable";

    public void Forget(string? key)
    {
        if (key is not null && key.StartsWith(FeedPrefix, StringComparison.Ordinal))
        {
            cache.Remove(key[FeedPrefix.Length..]);
        }
        else
        {
            Interlocked.Increment(ref _value);
        }
    }
}

/// <summary>Expands weekly lessons (every week, week A or week B) into dated occurrences with their changes.</summary>
internal sealed class TimetableService(PreauDbContext db, IMemoryCache cache, TimetableVersion version)
{
    private static readonly TimeSpan s_cacheTime = TimeSpan.FromMinutes(5);

    /// <summary>Week A is an odd ISO week, week B an even one (the common convention; a school
    /// that starts its year on an even week would need a per-school setting, not built yet).</summary>
    public static WeekParity ParityOf(DateOnly date) =>
        ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)) % 2 == 1 ? WeekParity.A : WeekParity.B;

    /// <summary>Lessons of the given groups, or (teacher) taught or replaced by <paramref name="teacherId"/>.</summary>
    public async Task<List<LessonOccurrence>> OccurrencesAsync(IReadOnlyList<Guid> groupIds, Guid? teacherId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var query = db.TimetableLessons.AsNoTracking();
        if (teacherId is { } t)
        {
            var replacing = db.TimetableChanges.Where(c => c.ReplacementTeacherId == t && c.Date >= from && c.Date <= to).Select(c => c.LessonId);
            query = query.Where(l => l.TeacherId == t || replacing.Contains(l.Id));
        }
        else
        {
            query = query.Where(l => groupIds.Contains(l.GroupId));
        }

        var lessons = await query
            .Select(l => new
            {
                l.Id, l.Day, l.Start, l.End, l.Weeks, l.Room, l.GroupId, l.TeacherId, l.ValidFrom, l.ValidTo, l.Revision, l.UpdatedAt, Group = l.Group!.Name, Subject = l.Subject!.Name,
                Teacher = l.Teacher!.FirstName + " " + l.Teacher.LastName,
            })
            .ToListAsync(ct);
        var ids = lessons.Select(l => l.Id).ToList();
        var changes = await db.TimetableChanges.AsNoTracking()
            .Where(c => ids.Contains(c.LessonId) && c.Date >= from && c.Date <= to)
            .Select(c => new
            {
                c.LessonId, c.Date, c.Kind, c.NewRoom, c.Note, c.ReplacementTeacherId, c.Revision, c.UpdatedAt,
                Replacement = c.ReplacementTeacher == null ? null : c.ReplacementTeacher.FirstName + " " + c.ReplacementTeacher.LastName,
            })
            .ToListAsync(ct);
        var byKey = changes.ToDictionary(c => (c.LessonId, c.Date));

        var result = new List<LessonOccurrence>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var parity = ParityOf(day);
            foreach (var l in lessons.Where(l => l.Day == day.DayOfWeek && (l.Weeks == WeekParity.Every || l.Weeks == parity)
                && (l.ValidFrom is null || l.ValidFrom <= day) && (l.ValidTo is null || day <= l.ValidTo)))
            {
                byKey.TryGetValue((l.Id, day), out var c);
                // A lesson pulled in because this teacher replaces on one date must not show on its other dates.
                if (teacherId is { } me && l.TeacherId != me && c?.ReplacementTeacherId != me)
                {
                    continue;
                }

                result.Add(new LessonOccurrence(l.Id, day, l.Start, l.End, l.GroupId, l.Group, l.Subject, l.Teacher, l.Room,
                    c?.Kind, c?.NewRoom, c?.Replacement, c?.Note, l.Revision + (c?.Revision ?? 0),
                    c is not null && c.UpdatedAt > l.UpdatedAt ? c.UpdatedAt : l.UpdatedAt));
            }
        }

        return [.. result.OrderBy(o => o.Date).ThenBy(o => o.Start).ThenBy(o => o.GroupName)];
    }

    /// <summary>Lessons for a resolved homework scope: the same people see the same classes.</summary>
    /// <remarks>Cached: the dashboard asks for today's lessons on every visit, and they rarely change.</remarks>
    public async Task<List<LessonOccurrence>> ForScopeAsync(HomeworkScope scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var who = scope.Profile == Profile.Teacher ? scope.PersonId.ToString() : string.Join(',', scope.GroupIds.Order());
        var key = $"tt:{who}:{from.DayNumber}:{to.DayNumber}:{version.Value}";
        var usable = version.CachesUsable;
        if (usable && cache.TryGetValue(key, out List<LessonOccurrence>? hit) && hit is not null)
        {
            return hit;
        }

        var lessons = scope.Profile == Profile.Teacher
            ? await OccurrencesAsync([], scope.PersonId, from, to, ct)
            : await OccurrencesAsync(scope.GroupIds, null, from, to, ct);
        if (!usable)
        {
            return lessons;
        }

        cache.Set(key, lessons, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = s_cacheTime, Size = 1 });
        return lessons;
    }
}
