using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Timetable;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Timetable.Pages;

/// <summary>
/// The vie scolaire or the head creates, edits or deletes (after a confirmation) one weekly lesson of
/// their school. The same rules and conflict check as the API; on any refusal the form comes back as typed.
/// </summary>
[Authorize(Policy = Policies.SchoolOffice)]
internal sealed class WeeklyLessonEditModel(PreauDbContext db, TimetableVersion version) : PageModel
{
    internal sealed record Choice(Guid Id, string Label);

    /// <summary>What was typed, kept as text so that an unreadable time comes back as it was.</summary>
    internal sealed class LessonForm
    {
        public Guid? Group { get; set; }
        public Guid? Subject { get; set; }
        public Guid? Teacher { get; set; }
        public string? Room { get; set; }
        public int Day { get; set; } = 1;
        public string? Start { get; set; }
        public string? End { get; set; }
        public string? Weeks { get; set; }
        public string? ValidFrom { get; set; }
        public string? ValidTo { get; set; }
    }

    [BindProperty(SupportsGet = true, Name = "id")]
    public Guid? LessonId { get; set; }

    [BindProperty(SupportsGet = true, Name = "classe")]
    public Guid? ClassId { get; set; }

    [BindProperty(SupportsGet = true, Name = "supprimer")]
    public bool ConfirmDelete { get; set; }

    [BindProperty]
    public LessonForm Input { get; set; } = new();

    public IReadOnlyList<Choice> Groups { get; private set; } = [];
    public IReadOnlyList<Choice> Subjects { get; private set; } = [];
    public IReadOnlyList<Choice> Teachers { get; private set; } = [];
    public IReadOnlyList<string> Conflicts { get; private set; } = [];

    private Guid School => User.GetSchoolId()!.Value;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (LessonId is { } id)
        {
            var lesson = await db.TimetableLessons.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id && l.SchoolId == School, ct);
            if (lesson is null)
            {
                return NotFound();
            }

            Input = new LessonForm
            {
                Group = lesson.GroupId, Subject = lesson.SubjectId, Teacher = lesson.TeacherId, Room = lesson.Room,
                Day = lesson.Day == DayOfWeek.Sunday ? 7 : (int)lesson.Day, Start = Time(lesson.Start), End = Time(lesson.End),
                Weeks = lesson.Weeks == WeekParity.Every ? "" : lesson.Weeks.ToString(), ValidFrom = Date(lesson.ValidFrom), ValidTo = Date(lesson.ValidTo),
            };
        }
        else
        {
            Input.Group = ClassId;
            ConfirmDelete = false;
        }

        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        TimetableLesson? lesson;
        if (LessonId is { } id)
        {
            if ((lesson = await db.TimetableLessons.FirstOrDefaultAsync(l => l.Id == id && l.SchoolId == School, ct)) is null)
            {
                return NotFound();
            }
        }
        else
        {
            lesson = new TimetableLesson { SchoolId = School };
        }

        var request = Parse();
        if (request is not null)
        {
            foreach (var (field, messages) in await WeeklyLessonRules.ApplyAsync(db, School, request, lesson, ct))
            {
                ModelState.AddModelError($"Input.{char.ToUpperInvariant(field[0])}{field[1..]}", messages[0]);
            }
        }

        if (ModelState.IsValid && await LessonConflicts.FindAsync(db, School, [lesson], ct) is { Count: > 0 } conflicts)
        {
            Conflicts = conflicts;
            ModelState.AddModelError(string.Empty, "Ce cours en croise un autre : rien n'a été enregistré.");
            foreach (var conflict in conflicts)
            {
                ModelState.AddModelError(string.Empty, conflict);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadChoicesAsync(ct);
            Response.StatusCode = Conflicts.Count > 0 ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Page();
        }

        if (LessonId is null)
        {
            db.TimetableLessons.Add(lesson);
        }

        await db.SaveChangesAsync(ct);
        version.Bump();
        TempData[WeeklyLessonsModel.NoticeKey] = "Cours enregistré.";
        return LocalRedirect($"/etablissement/emploi-du-temps?classe={lesson.GroupId}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        var lesson = await db.TimetableLessons.AsNoTracking().Where(l => l.Id == LessonId && l.SchoolId == School).Select(l => (Guid?)l.GroupId)
            .FirstOrDefaultAsync(ct);
        if (lesson is null || await db.TimetableLessons.Where(l => l.Id == LessonId && l.SchoolId == School).ExecuteDeleteAsync(ct) == 0)
        {
            return NotFound();
        }

        version.Bump();
        TempData[WeeklyLessonsModel.NoticeKey] = "Cours supprimé.";
        return LocalRedirect($"/etablissement/emploi-du-temps?classe={lesson}");
    }

    /// <summary>Times and dates as typed; what cannot be read is reported in French on its field.</summary>
    private LessonRequest? Parse()
    {
        TimeOnly? ReadTime(string? text, string field)
        {
            if (TimeOnly.TryParseExact(text?.Trim().Replace('h', ':'), ["H:mm", "HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            {
                return t;
            }

            ModelState.AddModelError(field, "Heure attendue, par exemple 08:30.");
            return null;
        }

        DateOnly? ReadDate(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }

            ModelState.AddModelError(field, "Date attendue, par exemple 01/09/2026.");
            return null;
        }

        var start = ReadTime(Input.Start, "Input.Start");
        var end = ReadTime(Input.End, "Input.End");
        var from = ReadDate(Input.ValidFrom, "Input.ValidFrom");
        var to = ReadDate(Input.ValidTo, "Input.ValidTo");
        return ModelState.IsValid
            ? new LessonRequest(Input.Group ?? Guid.Empty, Input.Subject ?? Guid.Empty, Input.Teacher ?? Guid.Empty, Input.Room, Input.Day, start!.Value,
                end!.Value, Input.Weeks, from, to)
            : null;
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        var region = await db.Schools.Where(s => s.Id == School).Select(s => s.RegionId).SingleAsync(ct);
        Groups = await db.Groups.AsNoTracking().Where(g => g.SchoolId == School).OrderBy(g => g.Kind).ThenBy(g => g.Name)
            .Select(g => new Choice(g.Id, g.Name)).ToListAsync(ct);
        Subjects = await db.Subjects.AsNoTracking().Where(s => s.RegionId == region).OrderBy(s => s.Name).Select(s => new Choice(s.Id, s.Name)).ToListAsync(ct);
        Teachers = await db.People.AsNoTracking().Where(p => p.SchoolId == School && p.Profile == Profile.Teacher)
            .OrderBy(p => p.LastName).ThenBy(p => p.FirstName).Select(p => new Choice(p.Id, p.LastName + " " + p.FirstName)).ToListAsync(ct);
    }

    private static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
