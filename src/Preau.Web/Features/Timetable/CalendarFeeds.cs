using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Timetable;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Homework;

namespace Preau.Web.Features.Timetable;

/// <summary>The owner's current address; <see cref="Url"/> is null for an address created before
/// the token was kept encrypted (it cannot be shown again, only revoked).</summary>
internal sealed record CalendarAddress(string? Url, DateTimeOffset CreatedAt);

/// <summary>A feed ready to send: the same data gives the same bytes, hence the same ETag.</summary>
internal sealed record RenderedFeed(byte[] Body, string ETag, DateTimeOffset? LastModified);

/// <summary>
/// Personal iCalendar feeds. The URL carries a 256-bit random token, looked up by its SHA-256.
/// The token is also kept encrypted with data protection (keys outside the database), so that its
/// owner sees the address again on the account page while a database leak alone still does not
/// leak calendars. Creating a feed revokes the previous one; a revoked or unknown token answers 404.
/// </summary>
internal sealed class CalendarFeeds(
    PreauDbContext db, TimetableService timetable, Relations relations, TimeProvider clock, IDataProtectionProvider protection,
    IMemoryCache cache, TimetableVersion version)
{
    private const string Purpose = "Preau.Timetable.CalendarFeed.Token";

    /// <summary>Bounds how stale a feed can get when its data changes behind the version (an import
    /// straight into the database, a pupil moved to another class, another node's write).</summary>
    private static readonly TimeSpan s_cacheTime = TimeSpan.FromMinutes(5);

    private sealed record CachedFeed(long Version, int Day, RenderedFeed Feed);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A token of a possible length: anything else is unknown without hashing it.</summary>
    public static bool IsWellFormed(string token) => token.Length is >= 20 and <= 100;

    public static string Url(HttpRequest request, string token) => Shared.Http.PublicAddress.Link(request.HttpContext, $"/ical/{token}.ics");

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    public async Task<string> CreateAsync(Guid personId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await RevokeAsync(personId, ct);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.CalendarFeeds.Add(new CalendarFeed
        {
            PersonId = personId, TokenHash = Hash(token), ProtectedToken = Protector.Protect(token), CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>The person's active address, or null when they have none.</summary>
    public async Task<CalendarAddress?> CurrentAsync(HttpRequest request, Guid personId, CancellationToken ct)
    {
        var feed = await db.CalendarFeeds.AsNoTracking().Where(f => f.PersonId == personId && f.RevokedAt == null)
            .Select(f => new { f.ProtectedToken, f.CreatedAt }).FirstOrDefaultAsync(ct);
        if (feed is null)
        {
            return null;
        }

        string? token = null;
        if (feed.ProtectedToken is { } protectedToken)
        {
            try
            {
                token = Protector.Unprotect(protectedToken);
            }
            catch (CryptographicException)
            {
                // Keys lost or rotated out: like an address created before the token was kept.
            }
        }

        return new CalendarAddress(token is null ? null : Url(request, token), feed.CreatedAt);
    }

    public async Task<int> RevokeAsync(Guid personId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hashes = await db.CalendarFeeds.Where(f => f.PersonId == personId && f.RevokedAt == null).Select(f => f.TokenHash).ToListAsync(ct);
        var revoked = await db.CalendarFeeds.Where(f => f.PersonId == personId && f.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.RevokedAt, now), ct);
        foreach (var hash in hashes)
        {
            version.ForgetFeed(CacheKey(hash));
        }

        return revoked;
    }

    private static string CacheKey(string hash) => "ical:" + hash;

    /// <summary>The feed, or null when the token is unknown or revoked. Served from a per-feed cache
    /// until a timetable write (any class: the version is global) or the next day.</summary>
    public async Task<RenderedFeed?> RenderAsync(string token, CancellationToken ct)
    {
        if (!IsWellFormed(token))
        {
            return null;
        }

        var hash = Hash(token);
        // Read before the data: a write during rendering leaves this entry stale, never wrongly fresh.
        var current = version.Value;
        var today = SchoolDay.Today(clock);
        var usable = version.CachesUsable;
        if (usable && cache.TryGetValue(CacheKey(hash), out CachedFeed? hit) && hit is not null && hit.Version == current && hit.Day == today.DayNumber)
        {
            return hit.Feed;
        }

        var personId = await db.CalendarFeeds.AsNoTracking().Where(f => f.TokenHash == hash && f.RevokedAt == null)
            .Select(f => (Guid?)f.PersonId).FirstOrDefaultAsync(ct);
        var person = personId is { } id ? await relations.GetAsync(id, ct) : null;
        if (person is null)
        {
            return null;
        }

        var from = today.AddDays(-7);
        var to = today.AddDays(56);
        // A teacher's calendar is their own lessons (replacements included); a pupil's or a parent's
        // the lessons of the groups attended (by every child, for a parent).
        var lessons = person.Profile switch
        {
            Profile.Teacher => await timetable.OccurrencesAsync([], person.Id, from, to, ct),
            Profile.Pupil => await timetable.OccurrencesAsync([.. person.Groups], null, from, to, ct),
            Profile.Parent => await timetable.OccurrencesAsync([.. person.ChildGroups], null, from, to, ct),
            _ => [],
        };
        var body = Encoding.UTF8.GetBytes(Serialize(lessons));
        // Weak: response compression sends other bytes for the same representation.
        var etag = $"W/\"{Base64Url.EncodeToString(SHA256.HashData(body).AsSpan(0, 18))}\"";
        var feed = new RenderedFeed(body, etag, lessons.Count == 0 ? null : lessons.Max(l => l.UpdatedAt));
        if (!usable)
        {
            return feed;
        }

        cache.Set(CacheKey(hash), new CachedFeed(current, today.DayNumber, feed),
            new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = s_cacheTime, Size = 1 });
        return feed;
    }

    /// <summary>Local Paris times with their VTIMEZONE (apps show the lesson at the school's hour
    /// across daylight-saving changes); SEQUENCE, DTSTAMP and LAST-MODIFIED from the data.</summary>
    internal static string Serialize(IEnumerable<LessonOccurrence> lessons)
    {
        var zone = SchoolDay.Zone.Id;
        var calendar = new Ical.Net.Calendar { ProductId = "-//Préau//Emploi du temps//FR" };
        calendar.AddProperty("X-WR-CALNAME", "Préau : emploi du temps");
        calendar.AddProperty("X-WR-TIMEZONE", zone);
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        // The time zone rules in force since a fixed year, not since "now": the same bytes every day.
        // It also keeps a calendar without any lesson valid (RFC 5545 wants one component).
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zone, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), includeHistoricalData: false));
        foreach (var l in lessons)
        {
            var summary = $"{l.SubjectName} ({l.GroupName})";
            var description = new StringBuilder($"Enseignant : {l.ReplacementTeacherName ?? l.TeacherName}");
            switch (l.Change)
            {
                case LessonChangeKind.Cancelled:
                    summary = "ANNULÉ : " + summary;
                    break;
                case LessonChangeKind.RoomChange:
                    description.Append($"\nChangement de salle : {l.NewRoom} (au lieu de {l.Room})");
                    break;
                case LessonChangeKind.Replacement:
                    description.Append($"\nRemplacement de {l.TeacherName}");
                    break;
                default:
                    break;
            }

            if (!string.IsNullOrWhiteSpace(l.Note))
            {
                description.Append('\n').Append(l.Note);
            }

            var modified = new CalDateTime(l.UpdatedAt.UtcDateTime, "UTC");
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{l.LessonId:N}-{l.Date:yyyyMMdd}@preau",
                Summary = summary,
                Description = description.ToString(),
                Location = l.EffectiveRoom,
                DtStart = new CalDateTime(l.Date.ToDateTime(l.Start, DateTimeKind.Unspecified), zone),
                DtEnd = new CalDateTime(l.Date.ToDateTime(l.End, DateTimeKind.Unspecified), zone),
                DtStamp = modified,
                LastModified = modified,
                Sequence = l.Sequence,
                Status = l.Cancelled ? "CANCELLED" : "CONFIRMED",
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
