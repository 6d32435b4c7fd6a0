using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Data.Assessment;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Assessment;

internal static class AssessmentEndpoints
{
    public static void MapAssessmentApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Évaluations");
        // Reads of assessments and class tables: teachers (their classes and subjects), staff and head (their school).
        var staff = api.MapGroup("").RequireAuthorization(Policies.SchoolStaff);
        staff.MapGet("/assessments", ListAsync).WithName("ListAssessments")
            .WithSummary("Évaluations d'une période (term) : celles de vos classes et matières (enseignant), de l'établissement (vie scolaire, direction).")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        staff.MapGet("/assessments/{id:guid}", GetAsync).WithName("GetAssessment")
            .WithSummary("Enseignant de la classe et de la matière, vie scolaire et direction de l'établissement.");
        staff.MapGet("/assessments/{id:guid}/grid", GetGridAsync).WithName("GetAssessmentGrid")
            .WithSummary("La grille de toute la classe (une colonne par compétence).");
        staff.MapGet("/classes/{classId:guid}/results", ClassTableAsync).WithName("GetClassResults")
            .WithSummary("Tableau des résultats d'une classe pour une période, avec les moyennes par matière.");
        staff.MapGet("/classes/{classId:guid}/results.csv", ClassCsvAsync).WithName("ExportClassResults")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Le même tableau en CSV (séparateur ;, UTF-8 avec BOM).");
        // Writes: the teacher of the class and subject; the service re-checks it in the database.
        var teacher = api.MapGroup("").RequireAuthorization(Policies.Teacher);
        teacher.MapPost("/assessments", CreateAsync).WithName("CreateAssessment")
            .WithSummary("Enseignant de cette matière dans cette classe ou ce groupe. kind : notes (outOf, coefficient) ou competences (skills).");
        teacher.MapPut("/assessments/{id:guid}/grid", SaveGridAsync).WithName("SaveAssessmentGrid")
            .WithSummary("Toute la grille en une requête. Valeurs : note (12,5), niveau 1 à 4, abs, disp ; vide efface. Auteur de l'évaluation.");
        teacher.MapPut("/assessments/{id:guid}/publication", PublishAsync).WithName("PublishAssessment")
            .WithSummary("Date de publication aux élèves et aux parents ; null retire la publication. Auteur de l'évaluation.");
        // A pupil's own results, a parent's child's.
        api.MapGroup("").RequireAuthorization(Policies.Family).MapGet("/results", ResultsAsync).WithName("GetResults")
            .WithSummary("Résultats publiés d'une période, avec moyenne, minimum et maximum de la classe. Parent : studentId.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesValidationProblem();
    }

    /// <summary>The CSV under a page path, so that a refusal shows the French error page.</summary>
    public static void MapAssessmentDownloads(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/evaluations/classes/{classId:guid}/export", ClassCsvAsync).RequireAuthorization(Policies.SchoolStaff).ExcludeFromDescription();

    internal sealed record SkillDto(Guid Id, string Name);

    internal sealed record AssessmentDto(
        Guid Id, Guid ClassId, string ClassName, Guid SubjectId, string SubjectName, string Title, DateOnly Date, string Kind,
        decimal? OutOf, decimal? Coefficient, DateTimeOffset? PublishAt, bool Published, IReadOnlyList<SkillDto> Skills);

    internal sealed record AssessmentRequest(
        Guid ClassId, Guid SubjectId, string? Title, DateOnly? Date, string? Kind, decimal? OutOf, decimal? Coefficient, IReadOnlyList<string>? Skills);

    internal sealed record CreatedAssessment(Guid Id);

    internal sealed record GridColumnDto(Guid? SkillId, string Label);

    internal sealed record GridRowDto(Guid StudentId, string Name, IReadOnlyList<string> Cells);

    internal sealed record GridDto(Guid AssessmentId, IReadOnlyList<GridColumnDto> Columns, IReadOnlyList<GridRowDto> Rows);

    internal sealed record CellRequest(Guid StudentId, Guid? SkillId, string? Value);

    internal sealed record GridRequest(IReadOnlyList<CellRequest>? Cells);

    internal sealed record PublicationRequest(DateTimeOffset? PublishAt);

    internal sealed record ResultDto(
        Guid AssessmentId, string Title, DateOnly Date, string Kind, decimal? OutOf, decimal? Coefficient, string? Status, decimal? Mark,
        string Display, decimal? ClassAverage, decimal? Minimum, decimal? Maximum, IReadOnlyList<SkillLevel> Skills);

    internal sealed record SubjectDto(Guid SubjectId, string Name, decimal? Average, IReadOnlyList<ResultDto> Results);

    internal sealed record ResultsDto(Guid StudentId, Term Term, IReadOnlyList<Term> Terms, IReadOnlyList<SubjectDto> Subjects, decimal? Overall);

    internal sealed record TableColumnDto(Guid AssessmentId, Guid? SkillId, Guid SubjectId, string SubjectName, string Label, string Kind, bool Published);

    internal sealed record TableRowDto(Guid StudentId, string Name, IReadOnlyList<string> Cells, IReadOnlyList<decimal?> SubjectAverages);

    internal sealed record ClassTableDto(
        Guid ClassId, string ClassName, Term Term, IReadOnlyList<Term> Terms, IReadOnlyList<SubjectRef> Subjects,
        IReadOnlyList<TableColumnDto> Columns, IReadOnlyList<TableRowDto> Rows);

    public static string KindName(AssessmentKind kind) => kind == AssessmentKind.Skills ? "competences" : "notes";

    private static string? StatusName(ResultStatus? status) => status switch
    {
        ResultStatus.Assessed => "note",
        ResultStatus.Absent => "absent",
        ResultStatus.Exempt => "dispense",
        _ => null,
    };

    private static AssessmentDto ToDto(AssessmentView a, DateTimeOffset now) => new(
        a.Id, a.GroupId, a.GroupName, a.SubjectId, a.SubjectName, a.Title, a.Date, KindName(a.Kind),
        a.Kind == AssessmentKind.Marks ? a.OutOf : null, a.Kind == AssessmentKind.Marks ? a.Coefficient : null, a.PublishAt, a.IsPublishedAt(now),
        [.. a.Skills.Select(s => new SkillDto(s.Id, s.Name))]);

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Accès refusé");

    private static ProblemHttpResult NotFoundProblem() =>
        TypedResults.Problem("Cette évaluation n'existe pas ou vous n'y avez pas accès.", statusCode: StatusCodes.Status404NotFound, title: "Introuvable");

    private static async Task<PersonRelations> MeAsync(ClaimsPrincipal user, Relations relations, CancellationToken ct) =>
        await relations.GetAsync(user, ct) ?? PersonRelations.Simple(user.GetPersonId(), user.GetProfile() ?? Profile.Pupil, null, Guid.Empty);

    private static async Task<Results<Ok<List<AssessmentDto>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, Relations relations, SchoolTerms terms, AssessmentService service, CancellationToken ct, Guid? classId = null, int? term = null)
    {
        var me = await MeAsync(user, relations, ct);
        if (me.SchoolId is not { } school)
        {
            return Forbidden("Vous n'êtes rattaché à aucun établissement.");
        }

        var year = await terms.ForYearAsync(school, service.Today, ct);
        var chosen = year.FirstOrDefault(t => t.Number == term) ?? SchoolTerms.TermOf(year, service.Today);
        var now = service.Now;
        return TypedResults.Ok((await service.ListAsync(me, chosen, classId, ct)).Select(a => ToDto(a, now)).ToList());
    }

    private static async Task<Results<Ok<AssessmentDto>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, Relations relations, AssessmentService service, CancellationToken ct) =>
        await service.GetVisibleAsync(await MeAsync(user, relations, ct), id, ct) is { } a ? TypedResults.Ok(ToDto(a, service.Now)) : NotFoundProblem();

    private static async Task<Results<Ok<GridDto>, ProblemHttpResult>> GetGridAsync(
        Guid id, ClaimsPrincipal user, Relations relations, AssessmentService service, CancellationToken ct)
    {
        if (await service.GetVisibleAsync(await MeAsync(user, relations, ct), id, ct) is not { } a)
        {
            return NotFoundProblem();
        }

        var grid = await service.GridAsync(a, ct);
        return TypedResults.Ok(new GridDto(a.Id, [.. grid.Columns.Select(c => new GridColumnDto(c?.Id, c?.Name ?? "Note"))],
            [.. grid.Rows.Select(r => new GridRowDto(r.PupilId, r.Name, r.Cells))]));
    }

    private static async Task<Results<Created<CreatedAssessment>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        AssessmentRequest request, ClaimsPrincipal user, AssessmentService service, CancellationToken ct)
    {
        var (outcome, id, errors) = await service.CreateAsync(user.GetPersonId(),
            new AssessmentInput(request.ClassId, request.SubjectId, request.Title, request.Date, request.Kind, request.OutOf, request.Coefficient, request.Skills), ct);
        return outcome switch
        {
            AssessmentOutcome.Ok => TypedResults.Created($"/api/v1/assessments/{id}", new CreatedAssessment(id)),
            AssessmentOutcome.Invalid => TypedResults.ValidationProblem(errors!, title: "Évaluation incomplète"),
            _ => Forbidden("Vous n'enseignez pas cette matière dans cette classe."),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SaveGridAsync(
        Guid id, GridRequest request, ClaimsPrincipal user, AssessmentService service, CancellationToken ct)
    {
        if (request.Cells?.Any(c => c is null) == true)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["cells"] = ["Une case de la grille est vide (null) : chaque case donne un élève et une valeur."] },
                title: "Grille refusée : rien n'a été enregistré");
        }

        var cells = (request.Cells ?? []).Select(c => new CellInput(c.StudentId, c.SkillId, c.Value)).ToList();
        var (outcome, errors) = await service.SaveGridAsync(user.GetPersonId(), id, cells, Optional<DateTimeOffset?>.None, ct);
        return outcome switch
        {
            AssessmentOutcome.Ok => TypedResults.NoContent(),
            AssessmentOutcome.Invalid => TypedResults.ValidationProblem(errors!, title: "Grille refusée : rien n'a été enregistré"),
            _ => NotFoundProblem(),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PublishAsync(
        Guid id, PublicationRequest request, ClaimsPrincipal user, AssessmentService service, CancellationToken ct) =>
        await service.PublishAsync(user.GetPersonId(), id, request.PublishAt, ct) == AssessmentOutcome.Ok ? TypedResults.NoContent() : NotFoundProblem();

    private static async Task<Results<Ok<ResultsDto>, ProblemHttpResult>> ResultsAsync(
        ClaimsPrincipal user, Relations relations, AssessmentService service, CancellationToken ct, Guid? studentId = null, int? term = null)
    {
        if (await PupilOfAsync(user, relations, studentId, ct) is not { } pupil)
        {
            return studentId is null && user.GetProfile() == Profile.Parent
                ? TypedResults.Problem("Précisez l'élève avec le paramètre studentId.", statusCode: 400, title: "Élève à préciser")
                : Forbidden("Vous n'avez pas accès aux résultats de cet élève.");
        }

        var results = await service.PupilResultsAsync(pupil.Id, pupil.SchoolId, pupil.Groups, term, ct);
        return TypedResults.Ok(new ResultsDto(results.PupilId, results.Term, results.Terms,
            [.. results.Subjects.Select(s => new SubjectDto(s.SubjectId, s.SubjectName, s.Average, [.. s.Lines.Select(l => new ResultDto(
                l.AssessmentId, l.Title, l.Date, KindName(l.Kind), l.Kind == AssessmentKind.Marks ? l.OutOf : null,
                l.Kind == AssessmentKind.Marks ? l.Coefficient : null, StatusName(l.Status), l.Mark, l.Result, l.ClassAverage, l.Minimum, l.Maximum, l.Skills))]))],
            results.Overall));
    }

    /// <summary>The pupil whose results are read: the pupil themselves, or a parent's child (the only one when
    /// studentId is not given). Null when refused or when a parent of several children must choose.</summary>
    internal static async Task<(Guid Id, Guid SchoolId, IReadOnlySet<Guid> Groups)?> PupilOfAsync(
        ClaimsPrincipal user, Relations relations, Guid? studentId, CancellationToken ct)
    {
        var me = await relations.GetAsync(user, ct);
        if (me?.Profile == Profile.Pupil && (studentId is null || studentId == me.Id) && me.SchoolId is { } school)
        {
            return (me.Id, school, me.Groups);
        }

        if (me?.Profile == Profile.Parent)
        {
            var child = studentId is { } asked ? me.Children.FirstOrDefault(c => c.Id == asked) : me.Children.Count == 1 ? me.Children[0] : null;
            if (child?.SchoolId is { } childSchool)
            {
                return (child.Id, childSchool, child.Groups);
            }
        }

        return null;
    }

    private static async Task<Results<Ok<ClassTableDto>, ProblemHttpResult>> ClassTableAsync(
        Guid classId, ClaimsPrincipal user, Relations relations, AssessmentService service, CancellationToken ct, int? term = null)
    {
        if (await service.ClassTableAsync(await MeAsync(user, relations, ct), classId, term, ct) is not { } t)
        {
            return TypedResults.Problem("Cette classe n'existe pas ou vous n'y avez pas accès.", statusCode: 404, title: "Introuvable");
        }

        return TypedResults.Ok(new ClassTableDto(t.GroupId, t.GroupName, t.Term, t.Terms, t.Subjects,
            [.. t.Columns.Select(c => new TableColumnDto(c.AssessmentId, c.SkillId, c.SubjectId, c.SubjectName, c.Label, KindName(c.Kind), c.Published))],
            [.. t.Rows.Select(r => new TableRowDto(r.PupilId, r.Name, r.Cells, r.SubjectAverages))]));
    }

    internal static async Task<IResult> ClassCsvAsync(
        Guid classId, ClaimsPrincipal user, Relations relations, AssessmentService service, CancellationToken ct, int? term = null)
    {
        if (await service.ClassTableAsync(await MeAsync(user, relations, ct), classId, term, ct) is not { } t)
        {
            // A bare 404 becomes ProblemDetails (API) or the French page.
            return TypedResults.NotFound();
        }

        return TypedResults.File(AssessmentCsv.Write(t), "text/csv; charset=utf-8", AssessmentCsv.FileName(t));
    }
}
