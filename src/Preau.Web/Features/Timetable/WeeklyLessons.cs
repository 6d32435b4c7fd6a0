using System.Globalization;
using System.Security.Claims;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Timetable;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Timetable;

/// <summary>
/// Weekly lessons written by the school's staff: one at a time through the API, or a whole
/// timetable from the CSV export of the school's timetabling software. Conflicts (a teacher, a
/// room, or pupils in two places at once) are reported and nothing is written.
/// </summary>
internal static class WeeklyLessonEndpoints
{
    public static void MapWeeklyLessons(this IEndpointRouteBuilder routes)
    {
        // Vie scolaire and the head of the school edit its timetable; everything is checked against their school.
        var group = routes.MapGroup("/api/v1/timetable/lessons").WithTags("Emploi du temps")
            .RequireAuthorization(Policies.SchoolOffice);
        group.MapPost("", CreateAsync).WithName("CreateWeeklyLesson").WithSummary("Vie scolaire ou direction : nouveau cours hebdomadaire.");
        group.MapPut("/{lessonId:guid}", UpdateAsync).WithName("UpdateWeeklyLesson");
        group.MapDelete("/{lessonId:guid}", DeleteAsync).WithName("DeleteWeeklyLesson");
        group.MapPost("/import", ImportAsync).WithName("ImportWeeklyLessons").DisableAntiforgery()
            .WithSummary("CSV du logiciel d'emploi du temps (jour;debut;duree;matiere;enseignant;classe;salle;semaine) ou fichier iCalendar " +
                "(text/calendar : un VEVENT hebdomadaire par cours). dryRun=true : rapport seul ; replace=true : remplace tout l'emploi du temps.");
    }

    internal sealed record CreatedLesson(Guid Id);

    private static async Task<Results<Created<CreatedLesson>, ValidationProblem, ProblemHttpResult>> CreateAsync(LessonRequest request,
        ClaimsPrincipal user, PreauDbContext db, TimetableVersion version, CancellationToken ct)
    {
        var school = user.GetSchoolId()!.Value;
        var lesson = new TimetableLesson { SchoolId = school };
        if (await WeeklyLessonRules.ApplyAsync(db, school, request, lesson, ct) is { Count: > 0 } invalid)
        {
            return TypedResults.ValidationProblem(invalid);
        }

        if (await LessonConflicts.FindAsync(db, school, [lesson], ct) is { Count: > 0 } conflicts)
        {
            return ConflictProblem(conflicts);
        }

        db.TimetableLessons.Add(lesson);
        await db.SaveChangesAsync(ct);
        version.Bump();
        return TypedResults.Created($"/api/v1/timetable/lessons/{lesson.Id}", new CreatedLesson(lesson.Id));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> UpdateAsync(Guid lessonId, LessonRequest request,
        ClaimsPrincipal user, PreauDbContext db, TimetableVersion version, TimeProvider clock, CancellationToken ct)
    {
        var school = user.GetSchoolId()!.Value;
        var lesson = await db.TimetableLessons.FirstOrDefaultAsync(l => l.Id == lessonId && l.SchoolId == school, ct);
        if (lesson is null)
        {
            return TypedResults.Problem("Ce cours n'existe pas dans votre établissement.", statusCode: 404, title: "Introuvable");
        }

        if (await WeeklyLessonRules.ApplyAsync(db, school, request, lesson, ct) is { Count: > 0 } invalid)
        {
            return TypedResults.ValidationProblem(invalid);
        }

        if (await LessonConflicts.FindAsync(db, school, [lesson], ct) is { Count: > 0 } conflicts)
        {
            return ConflictProblem(conflicts);
        }

        // Moved or changed: calendar apps take the new version only when its SEQUENCE grows.
        lesson.Revision++;
        lesson.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        version.Bump();
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid lessonId, ClaimsPrincipal user, PreauDbContext db,
        TimetableVersion version, CancellationToken ct)
    {
        var school = user.GetSchoolId()!.Value;
        if (await db.TimetableLessons.Where(l => l.Id == lessonId && l.SchoolId == school).ExecuteDeleteAsync(ct) == 0)
        {
            return TypedResults.Problem("Ce cours n'existe pas dans votre établissement.", statusCode: 404, title: "Introuvable");
        }

        version.Bump();
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult ConflictProblem(IReadOnlyList<string> conflicts) =>
        TypedResults.Problem(string.Join(" ", conflicts), statusCode: 409, title: "Conflit d'emploi du temps",
            extensions: new Dictionary<string, object?> { ["conflicts"] = conflicts });

    private static async Task<Results<Ok<ImportResult>, ValidationProblem>> ImportAsync(IFormFile? file, ClaimsPrincipal user, PreauDbContext db,
        TimetableVersion version, CancellationToken ct, bool dryRun = false, bool replace = false)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["file"] = ["Joignez le fichier de l'emploi du temps (CSV ou iCalendar .ics)."],
            });
        }

        await using var stream = file.OpenReadStream();
        return TypedResults.Ok(await TimetableImport.RunAsync(db, version, user.GetSchoolId()!.Value, stream, dryRun, replace, ct));
    }
}

/// <summary>day: 1 = lundi … 7 = dimanche; weeks: null (toutes), "A" ou "B".</summary>
internal sealed record LessonRequest(Guid GroupId, Guid SubjectId, Guid TeacherId, string? Room, int Day, TimeOnly Start, TimeOnly End,
    string? Weeks, DateOnly? ValidFrom, DateOnly? ValidTo);

internal sealed record ImportResult(bool Applied, int Created, IReadOnlyList<string> Errors, IReadOnlyList<string> Conflicts);

/// <summary>What a weekly lesson must satisfy, for the API and the page alike: the class or group, the
/// teacher and the subject belong to the school, times and dates are in order.</summary>
internal static class WeeklyLessonRules
{
    public static async Task<Dictionary<string, string[]>> ApplyAsync(PreauDbContext db, Guid school, LessonRequest request, TimetableLesson lesson,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!await db.Groups.AnyAsync(g => g.Id == request.GroupId && g.SchoolId == school, ct))
        {
            errors["groupId"] = ["Choisissez une classe ou un groupe de l'établissement."];
        }

        if (!await db.Subjects.AnyAsync(s => s.Id == request.SubjectId && db.Schools.Any(x => x.Id == school && x.RegionId == s.RegionId), ct))
        {
            errors["subjectId"] = ["Choisissez une matière."];
        }

        if (!await db.People.AnyAsync(p => p.Id == request.TeacherId && p.SchoolId == school && p.Profile == Profile.Teacher, ct))
        {
            errors["teacherId"] = ["Choisissez un enseignant de l'établissement."];
        }

        if (request.Day is < 1 or > 7)
        {
            errors["day"] = ["Le jour va de 1 (lundi) à 7 (dimanche)."];
        }

        if (request.End <= request.Start)
        {
            errors["end"] = ["La fin du cours doit suivre son début."];
        }

        if (request.Room is { Length: > 50 })
        {
            errors["room"] = ["La salle ne dépasse pas 50 caractères."];
        }

        if (request.ValidFrom is { } from && request.ValidTo is { } to && to < from)
        {
            errors["validTo"] = ["La fin de validité doit suivre son début."];
        }

        WeekParity? weeks = request.Weeks?.Trim().ToUpperInvariant() switch { null or "" => WeekParity.Every, "A" => WeekParity.A, "B" => WeekParity.B, _ => null };
        if (weeks is null)
        {
            errors["weeks"] = ["Semaine : vide (toutes), A ou B."];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        lesson.GroupId = request.GroupId;
        lesson.SubjectId = request.SubjectId;
        lesson.TeacherId = request.TeacherId;
        lesson.Room = request.Room?.Trim() ?? "";
        lesson.Day = (DayOfWeek)(request.Day % 7);
        lesson.Start = request.Start;
        lesson.End = request.End;
        lesson.Weeks = weeks!.Value;
        lesson.ValidFrom = request.ValidFrom;
        lesson.ValidTo = request.ValidTo;
        return errors;
    }
}

/// <summary>Two lessons clash when their days, times, weeks and validity periods overlap and they share a
/// teacher, a room, or pupils (the same class or group, or a group and a class with common pupils).</summary>
internal static class LessonConflicts
{
    private static readonly CultureInfo s_french = CultureInfo.GetCultureInfo("fr-FR");

    public static async Task<List<string>> FindAsync(PreauDbContext db, Guid school, IReadOnlyList<TimetableLesson> candidates, CancellationToken ct,
        bool ignoreExisting = false)
    {
        var ids = candidates.Select(c => c.Id).ToList();
        var existing = ignoreExisting ? [] : await db.TimetableLessons.AsNoTracking().Where(l => l.SchoolId == school && !ids.Contains(l.Id)).ToListAsync(ct);
        var groups = await db.Groups.AsNoTracking().Where(g => g.SchoolId == school).ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        var teachers = await db.People.AsNoTracking().Where(p => p.SchoolId == school && p.Profile == Profile.Teacher)
            .ToDictionaryAsync(p => p.Id, p => p.FirstName + " " + p.LastName, ct);
        var pupils = (await db.GroupMemberships.AsNoTracking().Where(m => m.Group!.SchoolId == school).Select(m => new { m.GroupId, m.PupilId }).ToListAsync(ct))
            .GroupBy(m => m.GroupId).ToDictionary(g => g.Key, g => g.Select(m => m.PupilId).ToHashSet());
        bool SharePupils(Guid a, Guid b) => a == b
            || (pupils.TryGetValue(a, out var x) && pupils.TryGetValue(b, out var y) && x.Overlaps(y));

        var conflicts = new List<string>();
        var all = existing.Concat(candidates).ToList();
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            // Each pair once: a candidate against the existing lessons and the candidates before it.
            foreach (var other in all.Take(existing.Count + i))
            {
                if (!Overlap(c, other))
                {
                    continue;
                }

                var clash = c.Start > other.Start ? c.Start : other.Start;
                var when = $"{s_french.DateTimeFormat.GetDayName(c.Day)} {clash.ToString("HH:mm", CultureInfo.InvariantCulture)}";
                if (c.TeacherId == other.TeacherId)
                {
                    conflicts.Add($"{when} : {teachers.GetValueOrDefault(c.TeacherId)} a déjà cours avec {groups.GetValueOrDefault(other.GroupId)}.");
                }
                else if (c.Room.Length > 0 && string.Equals(c.Room, other.Room, StringComparison.OrdinalIgnoreCase))
                {
                    conflicts.Add($"{when} : la salle {c.Room} est déjà occupée par {groups.GetValueOrDefault(other.GroupId)}.");
                }
                else if (SharePupils(c.GroupId, other.GroupId))
                {
                    conflicts.Add($"{when} : {groups.GetValueOrDefault(c.GroupId)} a déjà cours ({groups.GetValueOrDefault(other.GroupId)}).");
                }
            }
        }

        return conflicts;
    }

    private static bool Overlap(TimetableLesson a, TimetableLesson b) =>
        a.Day == b.Day && a.Start < b.End && b.Start < a.End
        && (a.Weeks == WeekParity.Every || b.Weeks == WeekParity.Every || a.Weeks == b.Weeks)
        && (a.ValidFrom ?? DateOnly.MinValue) <= (b.ValidTo ?? DateOnly.MaxValue)
        && (b.ValidFrom ?? DateOnly.MinValue) <= (a.ValidTo ?? DateOnly.MaxValue);
}

/// <summary>
/// A whole timetable from a file: the timetabling software's CSV or an iCalendar file (told apart by
/// content), read into lessons, checked for conflicts, then written in one transaction unless it is a
/// dry run or anything is wrong.
/// </summary>
internal static class TimetableImport
{
    public static async Task<ImportResult> RunAsync(PreauDbContext db, TimetableVersion version, Guid school, Stream stream, bool dryRun, bool replace,
        CancellationToken ct)
    {
        var text = await ReadTextAsync(stream, ct);
        var names = await LessonNames.LoadAsync(db, school, ct);
        var (lessons, errors) = TimetableIcal.IsCalendar(text) ? TimetableIcal.Read(text, names, school) : TimetableCsv.Read(text, names, school);
        if (lessons.Count == 0 && errors.Count == 0)
        {
            errors.Add("Le fichier ne contient aucun cours.");
        }

        // With replace, the file is the whole new timetable: the current lessons do not count as conflicts.
        var conflicts = errors.Count > 0 ? [] : await LessonConflicts.FindAsync(db, school, lessons, ct, ignoreExisting: replace);
        if (dryRun || errors.Count > 0 || conflicts.Count > 0)
        {
            return new ImportResult(false, lessons.Count, errors, conflicts);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (replace)
        {
            await db.TimetableLessons.Where(l => l.SchoolId == school).ExecuteDeleteAsync(ct);
        }

        db.TimetableLessons.AddRange(lessons);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        version.Bump();
        return new ImportResult(true, lessons.Count, [], []);
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what spreadsheet software writes in France).</summary>
    private static async Task<string> ReadTextAsync(Stream stream, CancellationToken ct)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, ct);
        try
        {
            return new UTF8Encoding(false, true).GetString(memory.ToArray()).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(memory.ToArray());
        }
    }
}

/// <summary>The school's classes and groups, subjects and teachers, found by the names a file uses.</summary>
internal sealed class LessonNames
{
    private sealed record TeacherName(Guid Id, string FirstName, string LastName, string? Login);

    private readonly Dictionary<string, Guid> _groups;
    private readonly List<Subject> _subjects;
    private readonly List<TeacherName> _teachers;

    private LessonNames(Dictionary<string, Guid> groups, List<Subject> subjects, List<TeacherName> teachers) =>
        (_groups, _subjects, _teachers) = (groups, subjects, teachers);

    public static async Task<LessonNames> LoadAsync(PreauDbContext db, Guid school, CancellationToken ct)
    {
        var region = await db.Schools.Where(s => s.Id == school).Select(s => s.RegionId).SingleAsync(ct);
        var groups = await db.Groups.AsNoTracking().Where(g => g.SchoolId == school).ToDictionaryAsync(g => g.Name, g => g.Id, StringComparer.OrdinalIgnoreCase, ct);
        var subjects = await db.Subjects.AsNoTracking().Where(s => s.RegionId == region).ToListAsync(ct);
        var teachers = await db.People.AsNoTracking().Where(p => p.SchoolId == school && p.Profile == Profile.Teacher)
            .Select(p => new TeacherName(p.Id, p.FirstName, p.LastName, db.Accounts.Where(a => a.PersonId == p.Id).Select(a => a.Login).FirstOrDefault()))
            .ToListAsync(ct);
        return new LessonNames(groups, subjects, teachers);
    }

    /// <summary>A subject by its code or its name.</summary>
    public Guid? Subject(string text) =>
        _subjects.FirstOrDefault(s => s.Code.Equals(text, StringComparison.OrdinalIgnoreCase) || s.Name.Equals(text, StringComparison.OrdinalIgnoreCase))?.Id;

    /// <summary>A teacher by login, "NOM Prénom" or "Prénom NOM".</summary>
    public Guid? Teacher(string text) =>
        _teachers.FirstOrDefault(t => text.Equals(t.Login, StringComparison.OrdinalIgnoreCase)
            || text.Equals($"{t.LastName} {t.FirstName}", StringComparison.OrdinalIgnoreCase)
            || text.Equals($"{t.FirstName} {t.LastName}", StringComparison.OrdinalIgnoreCase))?.Id;

    public Guid? Group(string text) => _groups.TryGetValue(text, out var id) ? id : null;
}

/// <summary>
/// The CSV a timetabling software exports (documented in the README): <c>jour;debut;duree;matiere;enseignant;classe;salle;semaine</c>.
/// jour "lundi"…"samedi"; debut "08:00"; duree "1h", "1h30" or minutes; matiere a code or a name; enseignant "NOM Prénom" or a login;
/// classe a class or group name; semaine empty, A or B. UTF-8 or Windows-1252, <c>;</c> or <c>,</c>.
/// </summary>
internal static class TimetableCsv
{
    private static readonly string[] s_days = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];

    public static (List<TimetableLesson> Lessons, List<string> Errors) Read(string text, LessonNames names, Guid school)
    {
        var lessons = new List<TimetableLesson>();
        var errors = new List<string>();
        using var reader = CsvReader.Create(new StringReader(text), CsvReaderOptions.Default with { HasHeader = false, TrimWhitespace = true });
        var line = 0;
        while (reader.Read())
        {
            line++;
            string F(int i) => i < reader.FieldCount ? reader.GetString(i).Trim() : "";
            if (line == 1 && F(0).Equals("jour", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var day = Array.FindIndex(s_days, d => d.Equals(F(0), StringComparison.OrdinalIgnoreCase));
            var startOk = TimeOnly.TryParseExact(F(1).Replace('h', ':'), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start);
            var minutes = Duration(F(2));
            var subject = names.Subject(F(3));
            var teacher = names.Teacher(F(4));
            var group = names.Group(F(5));
            var weeks = F(7).ToUpperInvariant() switch { "" => WeekParity.Every, "A" => WeekParity.A, "B" => WeekParity.B, _ => (WeekParity?)null };
            var problem = day < 0 ? "jour inconnu" : !startOk ? "heure de début illisible" : minutes is not (> 0 and <= 600) ? "durée illisible"
                : subject is null ? $"matière « {F(3)} » inconnue" : teacher is null ? $"enseignant « {F(4)} » inconnu"
                : group is null ? $"classe ou groupe « {F(5)} » inconnu" : weeks is null ? "semaine : vide, A ou B"
                : F(6).Length > 50 ? "salle trop longue" : null;
            if (problem is not null)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"Ligne {line} : {problem}."));
                continue;
            }

            lessons.Add(new TimetableLesson
            {
                SchoolId = school, Day = (DayOfWeek)day, Start = start, End = start.AddMinutes(minutes!.Value), SubjectId = subject!.Value,
                TeacherId = teacher!.Value, GroupId = group!.Value, Room = F(6), Weeks = weeks!.Value,
            });
        }

        return (lessons, errors);
    }

    /// <summary>"1h", "1h30", "01:30", "55" (minutes).</summary>
    private static int? Duration(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            return minutes;
        }

        var parts = text.ToLowerInvariant().Replace(':', 'h').Split('h');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && (parts[1].Length == 0 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minutes))
            ? (h * 60) + (parts[1].Length == 0 ? 0 : minutes)
            : null;
    }
}
