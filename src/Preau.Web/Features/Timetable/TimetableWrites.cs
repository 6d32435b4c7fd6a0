using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Timetable;
using Preau.Web.Features.Homework;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.Timeline;

namespace Preau.Web.Features.Timetable;

/// <summary>A weekly lesson as an import (or the demo school) gives it.</summary>
internal sealed record WeeklyLessonInput(
    Guid GroupId, Guid SubjectId, Guid TeacherId, DayOfWeek Day, TimeOnly Start, TimeOnly End, WeekParity Weeks, string Room);

/// <summary>A one-off change asked for one occurrence of a weekly lesson.</summary>
internal sealed record LessonChangeInput(DateOnly Date, LessonChangeKind? Kind, string? NewRoom, Guid? ReplacementTeacherId, string? Note);

internal enum TimetableWriteOutcome
{
    Ok,
    NotFound,
    Invalid,
}

/// <summary>
/// One-off changes of lessons (weekly lessons are written by <see cref="TimetableImport"/> and the
/// lesson page and API). Each write bumps <see cref="TimetableVersion"/> and tells the class's timeline.
/// </summary>
internal sealed class TimetableWrites(PreauDbContext db, TimetableVersion version, TimelineFeed timeline, TimeProvider clock)
{
    /// <summary>Records a change of one lesson of <paramref name="schoolId"/> on one date; a new
    /// change of the same lesson and date replaces the old one.</summary>
    public async Task<(TimetableWriteOutcome Outcome, Dictionary<string, string[]>? Errors)> ChangeAsync(
        Guid schoolId, Guid lessonId, LessonChangeInput change, CancellationToken ct)
    {
        var lesson = await db.TimetableLessons.AsNoTracking().Where(l => l.Id == lessonId && l.SchoolId == schoolId)
            .Select(l => new { l.Day, l.Weeks, l.GroupId }).FirstOrDefaultAsync(ct);
        if (lesson is null)
        {
            return (TimetableWriteOutcome.NotFound, null);
        }

        var errors = new Dictionary<string, string[]>();
        if (change.Kind is null)
        {
            errors["kind"] = ["kind vaut cancelled, roomChange ou replacement."];
        }

        if (!SchoolDay.IsSupported(change.Date))
        {
            errors["date"] = [SchoolDay.UnsupportedDateMessage];
        }
        else if (change.Date.DayOfWeek != lesson.Day
            || (lesson.Weeks != WeekParity.Every && TimetableService.ParityOf(change.Date) != lesson.Weeks))
        {
            errors["date"] = ["Ce cours n'a pas lieu à cette date."];
        }

        if (change.Kind == LessonChangeKind.RoomChange && (string.IsNullOrWhiteSpace(change.NewRoom) || change.NewRoom.Length > 50))
        {
            errors["newRoom"] = ["Indiquez la nouvelle salle (50 caractères au plus)."];
        }

        if (change.Kind == LessonChangeKind.Replacement && (change.ReplacementTeacherId is not { } r
            || !await db.People.AnyAsync(p => p.Id == r && p.SchoolId == schoolId && p.Profile == Profile.Teacher, ct)))
        {
            errors["replacementTeacherId"] = ["Indiquez un enseignant de l'établissement."];
        }

        if (change.Note is { Length: > 500 })
        {
            errors["note"] = ["La note est limitée à 500 caractères."];
        }

        if (errors.Count > 0)
        {
            return (TimetableWriteOutcome.Invalid, errors);
        }

        var kind = change.Kind!.Value;
        // The replacing change counts one more revision: the occurrence's SEQUENCE keeps growing.
        var previous = await db.TimetableChanges.Where(c => c.LessonId == lessonId && c.Date == change.Date)
            .Select(c => (int?)c.Revision).FirstOrDefaultAsync(ct);
        await db.TimetableChanges.Where(c => c.LessonId == lessonId && c.Date == change.Date).ExecuteDeleteAsync(ct);
        db.TimetableChanges.Add(new TimetableChange
        {
            LessonId = lessonId, Date = change.Date, Kind = kind, NewRoom = change.NewRoom?.Trim(),
            ReplacementTeacherId = kind == LessonChangeKind.Replacement ? change.ReplacementTeacherId : null, Note = change.Note,
            Revision = (previous ?? 0) + 1, UpdatedAt = clock.GetUtcNow(),
        });
        // Saved with the change itself: the class and its parents see it in their timeline.
        timeline.Add([new AudienceToken(AudienceKind.GroupPupils, lesson.GroupId), new AudienceToken(AudienceKind.GroupParents, lesson.GroupId)],
            TimelineKinds.Timetable, ChangeTitle(kind, change.Date), "/emploi-du-temps");
        await db.SaveChangesAsync(ct);
        version.Bump();
        return (TimetableWriteOutcome.Ok, null);
    }

    private static string ChangeTitle(LessonChangeKind kind, DateOnly date) => kind switch
    {
        LessonChangeKind.Cancelled => $"Cours annulé le {date:dd/MM}",
        LessonChangeKind.RoomChange => $"Changement de salle le {date:dd/MM}",
        _ => $"Professeur remplacé le {date:dd/MM}",
    };
}
