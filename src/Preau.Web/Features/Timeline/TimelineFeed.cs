using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Timeline;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Messaging;

namespace Preau.Web.Features.Timeline;

internal static class TimelineKinds
{
    public const string Message = "message";
    public const string News = "actualite";
    public const string Homework = "devoir";
    public const string Timetable = "emploi-du-temps";
    public const string Attendance = "absence";
}

internal sealed record TimelineItem(Guid Id, string Kind, string Title, string Link, DateTimeOffset CreatedAt, bool IsNew);

internal sealed record TimelinePage(IReadOnlyList<TimelineItem> Items, int Page, bool HasMore, int NewCount);

/// <summary>The audience keys a reader belongs to: their classes, their children's classes, the
/// schools they belong to (through their children for a parent) and their profile there.</summary>
internal sealed record ReaderKeys(Guid PersonId, Profile Profile, List<Guid> Groups, List<Guid> ChildGroups, List<Guid> Schools)
{
    public static async Task<ReaderKeys?> LoadAsync(Relations relations, Guid personId, CancellationToken ct) =>
        await relations.GetAsync(personId, ct) is { } me ? From(me) : null;

    public static ReaderKeys From(PersonRelations me) =>
        // School administrators read what is addressed to the staff.
        new(me.Id, me.Profile == Profile.SchoolAdmin ? Profile.Staff : me.Profile, [.. me.Groups], [.. me.ChildGroups],
            me.SchoolId is { } s ? [s] : [.. me.ChildSchools]);
}

/// <summary>
/// The per-user feed. Written once per audience (a class, the parents of a class, a school
/// profile, a person), never once per reader; read by matching the reader's few audience keys,
/// which is a handful of index seeks. "Nouveau" is a watermark per user (last time they looked),
/// not a read row per entry.
/// </summary>
internal sealed class TimelineFeed(PreauDbContext db, Relations relations, TimeProvider clock)
{
    /// <summary>Adds entries to the current unit of work, so they are saved with the message or
    /// news item that caused them (one transaction: no feed line for something that failed).</summary>
    public void Add(IEnumerable<AudienceToken> audiences, string kind, string title, string link, DateTimeOffset? at = null)
    {
        var now = at ?? clock.GetUtcNow();
        foreach (var audience in audiences.Distinct())
        {
            db.TimelineEntries.Add(new TimelineEntry
            {
                AudienceKind = audience.Kind,
                TargetId = audience.TargetId,
                Profile = audience.Profile,
                Kind = kind,
                Title = title.Length > 300 ? title[..300] : title,
                Link = link,
                CreatedAt = now,
            });
        }
    }

    /// <summary>For other features (homework, timetable): publish and save at once.</summary>
    public async Task PublishAsync(IEnumerable<AudienceToken> audiences, string kind, string title, string link, CancellationToken ct = default)
    {
        Add(audiences, kind, title, link);
        await db.SaveChangesAsync(ct);
    }

    public async Task<TimelinePage> ReadAsync(Guid personId, int page, int pageSize, CancellationToken ct)
    {
        var keys = await ReaderKeys.LoadAsync(relations, personId, ct);
        if (keys is null)
        {
            return new TimelinePage([], page, false, 0);
        }

        var (groups, childGroups, schools, profile) = (keys.Groups, keys.ChildGroups, keys.Schools, keys.Profile);
        var now = clock.GetUtcNow();
        var query = db.TimelineEntries.AsNoTracking().Where(e =>
            (e.AudienceKind == AudienceKind.Person && e.TargetId == personId)
            || (e.AudienceKind == AudienceKind.GroupPupils && groups.Contains(e.TargetId))
            || (e.AudienceKind == AudienceKind.GroupParents && childGroups.Contains(e.TargetId))
            || (e.AudienceKind == AudienceKind.SchoolProfile && e.Profile == profile && schools.Contains(e.TargetId)))
            // Scheduled news get their feed line at publication time.
            .Where(e => e.CreatedAt <= now);

        var seenAt = await db.TimelineWatermarks.AsNoTracking().Where(w => w.PersonId == personId)
            .Select(w => (DateTimeOffset?)w.SeenAt).SingleOrDefaultAsync(ct) ?? DateTimeOffset.MinValue;
        var rows = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize + 1)
            .Select(e => new { e.Id, e.Kind, e.Title, e.Link, e.CreatedAt }).ToListAsync(ct);
        // Capped: the badge says "20+" rather than counting a year of history (the newest hundred: a cap with an
        // order, which EF asks of every row limit).
        var newCount = await query.Where(e => e.CreatedAt > seenAt).OrderByDescending(e => e.CreatedAt).Take(100).CountAsync(ct);
        var items = rows.Take(pageSize).Select(e => new TimelineItem(e.Id, e.Kind, e.Title, e.Link, e.CreatedAt, e.CreatedAt > seenAt)).ToList();
        return new TimelinePage(items, page, rows.Count > pageSize, newCount);
    }

    /// <summary>Moves the watermark: everything up to now is no longer "nouveau".</summary>
    public async Task MarkSeenAsync(Guid personId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var updated = await db.TimelineWatermarks.Where(w => w.PersonId == personId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.SeenAt, now), ct);
        if (updated == 0)
        {
            db.TimelineWatermarks.Add(new TimelineWatermark { PersonId = personId, SeenAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Two tabs marking at once: the other insert won, and it holds the same moment.
                db.ChangeTracker.Clear();
            }
        }
    }
}
