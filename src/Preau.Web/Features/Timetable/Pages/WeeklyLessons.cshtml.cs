using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Timetable;
using Preau.Web.Features.Accounts;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Timetable.Pages;

/// <summary>
/// The school's weekly timetable for the vie scolaire and the head: one class or group at a time, day by
/// day, with links to edit each lesson, and the upload of a whole timetable (the timetabling software's
/// CSV or an iCalendar file): a dry-run report first, then "Appliquer". The file waits in the data
/// directory under a random name between the two steps.
/// </summary>
[Authorize(Policy = Policies.SchoolOffice)]
[RequestSizeLimit(MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
internal sealed class WeeklyLessonsModel(PreauDbContext db, TimetableVersion version, IOptions<StorageOptions> storage) : PageModel
{
    public const string NoticeKey = "emploi-du-temps-notice";

    /// <summary>A collège's whole year of lessons is a few hundred lines, far below this.</summary>
    private const long MaxUpload = 2 * 1024 * 1024;

    internal sealed record GroupChoice(Guid Id, string Name);

    internal sealed record LessonRow(Guid Id, DayOfWeek Day, TimeOnly Start, TimeOnly End, string Subject, string Teacher, string Room,
        WeekParity Weeks, DateOnly? ValidFrom, DateOnly? ValidTo);

    [BindProperty(SupportsGet = true, Name = "classe")]
    public Guid? ClassId { get; set; }

    public IReadOnlyList<GroupChoice> Groups { get; private set; } = [];
    public GroupChoice? Shown { get; private set; }
    public IReadOnlyList<LessonRow> Lessons { get; private set; } = [];
    public string? Notice { get; private set; }
    public string? Error { get; private set; }
    public ImportResult? Report { get; private set; }
    public string? Pending { get; private set; }
    public bool Replace { get; private set; }

    private Guid School => User.GetSchoolId()!.Value;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Notice = TempData[NoticeKey] as string;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? fichier, bool remplacer, CancellationToken ct)
    {
        Replace = remplacer;
        if (fichier is not { Length: > 0 })
        {
            return await RefuseAsync("Choisissez le fichier de l'emploi du temps (CSV ou iCalendar .ics).", ct);
        }

        var token = Guid.NewGuid().ToString("N");
        var path = await PathAsync(token, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var target = System.IO.File.Create(path))
        {
            await fichier.CopyToAsync(target, ct);
        }

        await using (var source = System.IO.File.OpenRead(path))
        {
            Report = await TimetableImport.RunAsync(db, version, School, source, dryRun: true, remplacer, ct);
        }

        if (Report.Errors.Count > 0 || Report.Conflicts.Count > 0)
        {
            System.IO.File.Delete(path);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            Pending = token;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(string? pending, bool remplacer, CancellationToken ct)
    {
        Replace = remplacer;
        if (pending is null || pending.Length != 32 || !pending.All(char.IsAsciiHexDigitLower) || !System.IO.File.Exists(await PathAsync(pending, ct)))
        {
            return await RefuseAsync("Ce fichier n'est plus disponible : déposez-le à nouveau.", ct);
        }

        var path = await PathAsync(pending, ct);
        await using (var source = System.IO.File.OpenRead(path))
        {
            Report = await TimetableImport.RunAsync(db, version, School, source, dryRun: false, remplacer, ct);
        }

        System.IO.File.Delete(path);
        if (!Report.Applied)
        {
            // Someone else changed the timetable between the two steps: the new report says what now clashes.
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> RefuseAsync(string message, CancellationToken ct)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    // One folder per school: a token from another school's page finds nothing here.
    private async Task<string> PathAsync(string token, CancellationToken ct)
    {
        var uai = await db.Schools.Where(s => s.Id == School).Select(s => s.Uai).SingleAsync(ct);
        return Path.Combine(storage.Value.FullDataDirectory, "imports", uai, "emploi-du-temps-" + token);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Groups = await db.Groups.AsNoTracking().Where(g => g.SchoolId == School).OrderBy(g => g.Kind).ThenBy(g => g.Name)
            .Select(g => new GroupChoice(g.Id, g.Name)).ToListAsync(ct);
        // A class of another school (or none chosen) shows the first class of this one.
        Shown = Groups.FirstOrDefault(g => g.Id == ClassId) ?? (Groups.Count > 0 ? Groups[0] : null);
        if (Shown is null)
        {
            return;
        }

        var rows = await db.TimetableLessons.AsNoTracking().Where(l => l.SchoolId == School && l.GroupId == Shown.Id)
            .Select(l => new LessonRow(l.Id, l.Day, l.Start, l.End, l.Subject!.Name, l.Teacher!.LastName + " " + l.Teacher.FirstName, l.Room, l.Weeks,
                l.ValidFrom, l.ValidTo))
            .ToListAsync(ct);
        Lessons = [.. rows.OrderBy(r => ((int)r.Day + 6) % 7).ThenBy(r => r.Start)];
    }

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
