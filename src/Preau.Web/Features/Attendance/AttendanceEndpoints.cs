using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Data.Attendance;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Homework;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Attendance;

/// <summary>/api/v1/attendance: the register for teachers, the day and decisions for the school life office,
/// a pupil's absences for the pupil, their guardians and their school's office.</summary>
internal static class AttendanceEndpoints
{
    public static RouteGroupBuilder MapAttendanceApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/attendance").WithTags("Absences");
        var teacher = api.MapGroup("").RequireAuthorization(Policies.Teacher);
        teacher.MapGet("/lessons", TodayLessonsAsync).WithName("ListRegisterLessons")
            .WithSummary("Enseignant : ses cours du jour (assurés ou remplacés), appel fait ou non.");
        teacher.MapGet("/lessons/{lessonId:guid}/register", GetRegisterAsync).WithName("GetRegister")
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Enseignant du cours, le jour même.");
        teacher.MapPut("/lessons/{lessonId:guid}/register", SaveRegisterAsync).WithName("SaveRegister")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Enseignant du cours, le jour même (corrigeable jusqu'au soir). Les élèves non cités sont présents.");
        var office = api.MapGroup("").RequireAuthorization(Policies.SchoolOffice);
        office.MapGet("/day", DayAsync).WithName("GetAttendanceDay").ProducesValidationProblem()
            .WithSummary("Vie scolaire ou direction : absences et retards du jour dans leur établissement (100 par page).");
        office.MapGet("/pending", PendingAsync).WithName("ListPendingJustifications")
            .WithSummary("Vie scolaire ou direction : justificatifs en attente dans leur établissement (100 par page).");
        office.MapPost("/marks/{markId:guid}/decision", DecideAsync).WithName("DecideJustification")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Vie scolaire ou direction de l'établissement de l'élève : accepter ou refuser (avec un commentaire).");
        api.MapPost("/marks/{markId:guid}/justification", JustifyAsync).RequireAuthorization(AttendanceSetup.ParentPolicy).WithName("JustifyAbsence")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Responsable légal de l'élève. Motif : illness, medical, family, transport, other.");
        var readers = api.MapGroup("").RequireAuthorization(AttendanceSetup.ReaderPolicy);
        readers.MapGet("/pupils/{pupilId:guid}", PupilAsync).WithName("GetPupilAttendance").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("L'élève, ses responsables, la vie scolaire et la direction de son établissement : l'année et les compteurs par trimestre.");
        readers.MapGet("/marks/{markId:guid}/document", DocumentAsync).WithName("DownloadJustificationDocument")
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Ceux qui voient les absences de l'élève.");
        return api;
    }

    /// <summary>The document for people, under a page path so that a refusal shows the French error page.</summary>
    public static void MapAttendanceDownloads(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/absences/{markId:guid}/justificatif", DocumentAsync).RequireAuthorization(AttendanceSetup.ReaderPolicy).ExcludeFromDescription();

    internal sealed record LessonDto(Guid LessonId, DateOnly Date, TimeOnly Start, TimeOnly End, Guid ClassId, string ClassName, string SubjectName, bool Taken);

    internal sealed record RegisterPupilDto(Guid PupilId, string Name, string Status);

    internal sealed record RegisterDto(LessonDto Lesson, DateTimeOffset? TakenAt, IReadOnlyList<RegisterPupilDto> Pupils);

    internal sealed record RegisterRequest(IReadOnlyList<Guid>? Absent, IReadOnlyList<Guid>? Late);

    internal sealed record MarkDto(
        Guid Id, Guid PupilId, string PupilName, string ClassName, string SubjectName, DateOnly Date, TimeOnly Start, TimeOnly End,
        string Status, string? Reason, string? Comment, string? DocumentUrl, string? Decision, string? DecisionComment);

    internal sealed record MarkListDto(int Page, IReadOnlyList<MarkDto> Items);

    internal sealed record TermDto(string Name, DateOnly Start, DateOnly End, int Absences, int Justified, int Unjustified, int Late);

    internal sealed record PupilAttendanceDto(Guid PupilId, string Name, IReadOnlyList<TermDto> Terms, IReadOnlyList<MarkDto> Marks);

    internal sealed record JustificationRequest(string? Reason, string? Comment);

    internal sealed record DecisionRequest(bool Accepted, string? Comment);

    private static ProblemHttpResult NotFoundProblem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Introuvable");

    private static ProblemHttpResult ConflictProblem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflit");

    private const string NoLesson = "Ce cours n'est pas un de vos cours d'aujourd'hui.";
    private const string NoMark = "Cette absence n'existe pas ou vous n'y avez pas accès.";

    internal static MarkDto ToDto(MarkRow m) => new(
        m.Id, m.PupilId, m.PupilName, m.GroupName, m.SubjectName, m.Date, m.Start, m.End, AttendanceTexts.StatusCode(m.Status),
        AttendanceTexts.ReasonCode(m.Reason), m.Comment, m.HasDocument ? $"/api/v1/attendance/marks/{m.Id}/document" : null,
        AttendanceTexts.DecisionCode(m.Decision), m.DecisionComment);

    private static async Task<Ok<List<LessonDto>>> TodayLessonsAsync(ClaimsPrincipal user, AttendanceService service, CancellationToken ct) =>
        TypedResults.Ok((await service.TodayLessonsAsync(user.GetPersonId(), ct)).Select(l => new LessonDto(
            l.Lesson.LessonId, l.Lesson.Date, l.Lesson.Start, l.Lesson.End, l.Lesson.GroupId, l.Lesson.GroupName, l.Lesson.SubjectName, l.Taken)).ToList());

    private static async Task<Results<Ok<RegisterDto>, ProblemHttpResult>> GetRegisterAsync(
        Guid lessonId, ClaimsPrincipal user, AttendanceService service, CancellationToken ct)
    {
        if (await service.RegisterAsync(user.GetPersonId(), lessonId, ct) is not { } register)
        {
            return NotFoundProblem(NoLesson);
        }

        var l = register.Lesson;
        return TypedResults.Ok(new RegisterDto(new LessonDto(l.LessonId, l.Date, l.Start, l.End, l.GroupId, l.GroupName, l.SubjectName, register.TakenAt is not null),
            register.TakenAt, [.. register.Pupils.Select(p => new RegisterPupilDto(p.Id, p.Name, p.Status is { } s ? AttendanceTexts.StatusCode(s) : "present"))]));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SaveRegisterAsync(
        Guid lessonId, RegisterRequest request, ClaimsPrincipal user, AttendanceService service, CancellationToken ct)
    {
        var absent = request.Absent ?? [];
        var late = request.Late ?? [];
        if (absent.Intersect(late).Any())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["late"] = ["Un élève ne peut pas être à la fois absent et en retard."] });
        }

        var statuses = absent.Distinct().ToDictionary(id => id, _ => AttendanceStatus.Absent);
        foreach (var id in late.Distinct())
        {
            statuses[id] = AttendanceStatus.Late;
        }

        var (outcome, error) = await service.SaveRegisterAsync(user.GetPersonId(), lessonId, statuses, ct);
        return outcome switch
        {
            AttendanceOutcome.NotFound => NotFoundProblem(NoLesson),
            AttendanceOutcome.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["absent"] = [error!] }),
            _ => TypedResults.NoContent(),
        };
    }

    private static async Task<Results<Ok<MarkListDto>, ValidationProblem>> DayAsync(
        ClaimsPrincipal user, AttendanceService service, CancellationToken ct, DateOnly? date = null, int page = 1)
    {
        if (SchoolDay.RangeErrors(date, null) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = errors["from"] });
        }

        var rows = user.GetSchoolId() is { } school ? await service.DayAsync(school, date ?? service.Today, page, ct) : [];
        return TypedResults.Ok(new MarkListDto(Math.Max(1, page), [.. rows.Select(ToDto)]));
    }

    private static async Task<Ok<MarkListDto>> PendingAsync(ClaimsPrincipal user, AttendanceService service, CancellationToken ct, int page = 1)
    {
        var rows = user.GetSchoolId() is { } school ? await service.PendingAsync(school, page, ct) : [];
        return TypedResults.Ok(new MarkListDto(Math.Max(1, page), [.. rows.Select(ToDto)]));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid markId, DecisionRequest request, ClaimsPrincipal user, AttendanceService service, CancellationToken ct)
    {
        if (user.GetSchoolId() is not { } school)
        {
            return NotFoundProblem(NoMark);
        }

        var (outcome, error) = await service.DecideAsync(user.GetPersonId(), school, markId, request.Accepted, request.Comment, ct);
        return outcome switch
        {
            AttendanceOutcome.NotFound => NotFoundProblem(NoMark),
            AttendanceOutcome.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["comment"] = [error!] }),
            AttendanceOutcome.Conflict => ConflictProblem(error!),
            _ => TypedResults.NoContent(),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> JustifyAsync(
        Guid markId, JustificationRequest request, ClaimsPrincipal user, AttendanceService service, CancellationToken ct)
    {
        var errors = AttendanceService.Validate(request.Reason, request.Comment, out var justification);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await service.JustifyAsync(user.GetPersonId(), markId, justification!, null, ct) switch
        {
            AttendanceOutcome.NotFound => NotFoundProblem(NoMark),
            AttendanceOutcome.Conflict => ConflictProblem("Cette absence est déjà justifiée."),
            _ => TypedResults.NoContent(),
        };
    }

    private static async Task<Results<Ok<PupilAttendanceDto>, ProblemHttpResult>> PupilAsync(
        Guid pupilId, ClaimsPrincipal user, AttendanceService service, CancellationToken ct)
    {
        if (!await service.CanReadPupilAsync(user.GetPersonId(), pupilId, ct) || await service.PupilAsync(pupilId, ct) is not { } pupil)
        {
            return NotFoundProblem("Cet élève n'existe pas ou vous n'avez pas accès à ses absences.");
        }

        return TypedResults.Ok(new PupilAttendanceDto(pupil.PupilId, pupil.PupilName,
            [.. pupil.Terms.Select(t => new TermDto(t.Term.Name, t.Term.Start, t.Term.End, t.Absences, t.Justified, t.Unjustified, t.Late))],
            [.. pupil.Marks.Select(ToDto)]));
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DocumentAsync(
        Guid markId, ClaimsPrincipal user, HttpContext http, AttendanceService service, CancellationToken ct)
    {
        if (await service.DocumentAsync(user.GetPersonId(), markId, ct) is not { } file)
        {
            return NotFoundProblem("Ce justificatif n'existe pas ou vous n'y avez pas accès.");
        }

        return FileStore.Download(http, file.Content, file.ContentType, file.FileName);
    }
}
