using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Timetable;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Homework;

namespace Preau.Web.Features.Timetable;

/// <summary>
/// Personal iCalendar feeds. The URL carries a 256-bit random token; only its SHA-256 is stored,
/// so a database leak does not leak calendars. Creating a feed revokes the previous one; a
/// revoked or unknown token answers 404.
/// </summary>
internal sealed class CalendarFeeds(PreauDbContext db, TimetableService timetable, Relations relations, TimeProvider clock)
{
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<string> CreateAsync(Guid personId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await RevokeAsync(personId, ct);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.CalendarFeeds.Add(new CalendarFeed { PersonId = personId, TokenHash = Hash(token), CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return token;
    }

    public async Task<bool> HasActiveAsync(Guid personId, CancellationToken ct) =>
        await db.CalendarFeeds.AnyAsync(f => f.PersonId == personId && f.RevokedAt == null, ct);

    public async Task<int> RevokeAsync(Guid personId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.CalendarFeeds.Where(f => f.PersonId == personId && f.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.RevokedAt, now), ct);
    }

    /// <summary>The feed's text, or null when the token is unknown or revoked.</summary>
    public async Task<string?> RenderAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var personId = await db.CalendarFeeds.AsNoTracking().Where(f => f.TokenHash == hash && f.RevokedAt == null)
            .Select(f => (Guid?)f.PersonId).FirstOrDefaultAsync(ct);
        var person = personId is { } id ? await relations.GetAsync(id, ct) : null;
        if (person is null)
        {
            return null;
        }

        var today = SchoolDay.Today(clock);
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
        return Serialize(lessons, clock.GetUtcNow());
    }

    internal static string Serialize(IEnumerable<LessonOccurrence> lessons, DateTimeOffset now)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//Préau//Emploi du temps//FR" };
        calendar.AddProperty("X-WR-CALNAME", "Préau : emploi du temps");
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
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

            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{l.LessonId:N}-{l.Date:yyyyMMdd}@preau",
                Summary = summary,
                Description = description.ToString(),
                Location = l.EffectiveRoom,
                DtStart = Utc(l.Date, l.Start),
                DtEnd = Utc(l.Date, l.End),
                DtStamp = new CalDateTime(now.UtcDateTime, "UTC"),
                Status = l.Cancelled ? "CANCELLED" : "CONFIRMED",
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    // Times in UTC: every calendar app understands them without a VTIMEZONE block.
    private static CalDateTime Utc(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new CalDateTime(TimeZoneInfo.ConvertTimeToUtc(local, SchoolDay.Zone), "UTC");
    }
}
