using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework;

/// <summary>The hand-in API: a pupil hands in, pupils and guardians read the status and the return, the class's
/// teacher in this subject reads the list, downloads the archive and returns each pupil's work.</summary>
internal static class HandInEndpoints
{
    public static void MapHandInApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/homework/{id:guid}").WithTags("Devoirs");
        var read = api.MapGroup("").RequireAuthorization(Policies.SchoolMember);
        read.MapGet("/submission", GetAsync).WithName("GetHandIn")
            .WithSummary("Statut et rendu d'un élève, avec la correction. L'élève lui-même, un parent (studentId), l'enseignant de la classe (studentId).");
        read.MapGet("/submissions/{pupilId:guid}/files/{fileId:guid}", DownloadAsync).WithName("DownloadHandInFile")
            .WithSummary("Un fichier rendu ou corrigé : l'élève, ses parents, l'enseignant de la classe dans cette matière.");
        // Multipart from scripts and apps; browsers use the page form, which carries an antiforgery token.
        // The cookie is SameSite=Lax, so a cross-site form cannot post here with it.
        api.MapPut("/submission", HandInAsync).WithName("HandIn").RequireAuthorization(Policies.Pupil).DisableAntiforgery()
            .WithSummary("L'élève rend son travail ou le remplace jusqu'à la date limite (multipart/form-data : text, files, remove).");
        var teacher = api.MapGroup("").RequireAuthorization(Policies.Teacher);
        teacher.MapGet("/submissions", ListAsync).WithName("ListHandIns")
            .WithSummary("Enseignant de la classe dans cette matière : qui a rendu, en retard, ou rien.");
        teacher.MapGet("/submissions/archive", ArchiveAsync).WithName("DownloadHandInArchive")
            .WithSummary("Enseignant de la classe dans cette matière : tous les rendus en un ZIP (un dossier « Nom Prénom » par élève).");
        teacher.MapPut("/submissions/{pupilId:guid}/return", ReturnAsync).WithName("ReturnHandIn").DisableAntiforgery()
            .WithSummary("Enseignant de la classe dans cette matière : commentaire, note facultative sur N, fichier corrigé (multipart/form-data : comment, mark, markOutOf, file, removeCorrection).");
    }

    /// <summary>The same downloads for people, under page paths so that refusals show the French error page.</summary>
    public static void MapHandInDownloads(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/devoirs/{id:guid}/rendus/{pupilId:guid}/{fileId:guid}", DownloadAsync).RequireAuthorization(Policies.SchoolMember)
            .ExcludeFromDescription();
        routes.MapGet("/devoirs/{id:guid}/copies.zip", ArchiveAsync).RequireAuthorization(Policies.Teacher).ExcludeFromDescription();
    }

    internal sealed record WorkFileDto(Guid Id, string FileName, string ContentType, long Length, string Url);

    internal sealed record ReturnDto(DateTimeOffset ReturnedAt, string Comment, decimal? Mark, int? MarkOutOf, WorkFileDto? CorrectedFile);

    /// <summary>One pupil's hand-in; status is to-do, handed-in, late or returned.</summary>
    internal sealed record HandInDto(
        Guid HomeworkId, Guid StudentId, string StudentName, string Status, string Mode, DateTimeOffset DueAt, bool LateAllowed, bool Open,
        string Text, DateTimeOffset? SubmittedAt, IReadOnlyList<WorkFileDto> Files, ReturnDto? Return);

    internal sealed record HandInListDto(Guid HomeworkId, string ClassName, DateTimeOffset DueAt, IReadOnlyList<HandInDto> Items);

    private static WorkFileDto FileDto(Guid entryId, Guid pupilId, WorkFileInfo f) =>
        new(f.Id, f.FileName, f.ContentType, f.Length, $"/api/v1/homework/{entryId}/submissions/{pupilId}/files/{f.Id}");

    private static HandInDto ToDto(HandInEntry e, SubmissionView v, bool open) => new(
        e.Id, v.PupilId, v.PupilName, HandInStatuses.Code(v.Status), Pages.EntryFields.HandInValue(e.Mode), e.DueAt, e.LateAllowed, open,
        v.Text, v.SubmittedAt, [.. v.Files.Select(f => FileDto(e.Id, v.PupilId, f))],
        v.ReturnedAt is { } at ? new ReturnDto(at, v.Comment ?? "", v.Mark, v.MarkOutOf, v.Correction is { } c ? FileDto(e.Id, v.PupilId, c) : null) : null);

    private static ProblemHttpResult NotFoundProblem() =>
        TypedResults.Problem("Ce rendu n'existe pas ou vous n'y avez pas accès.", statusCode: StatusCodes.Status404NotFound, title: "Introuvable");

    private static ProblemHttpResult ToProblem(HandInProblem p) => TypedResults.Problem(p.Message, statusCode: p.Status, title: p.Title);

    private static async Task<Results<Ok<HandInDto>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, HandInService service, CancellationToken ct, Guid? studentId = null)
    {
        var scope = await service.ResolveAsync(user, id, studentId, ct);
        if (scope is null)
        {
            return NotFoundProblem();
        }

        if (scope.PupilId is not { } pupil)
        {
            return TypedResults.Problem("Précisez l'élève avec le paramètre studentId.", statusCode: 400, title: "Élève à préciser");
        }

        var view = (await service.ViewsAsync(scope.Entry, pupil, ct)).Single();
        return TypedResults.Ok(ToDto(scope.Entry, view, service.IsOpen(scope.Entry)));
    }

    private static async Task<Results<Ok<HandInDto>, ProblemHttpResult>> HandInAsync(
        Guid id, ClaimsPrincipal user, HttpRequest request, HandInService service, CancellationToken ct)
    {
        var scope = await service.ResolveAsync(user, id, null, ct);
        if (scope?.PupilId is not { } pupil)
        {
            return NotFoundProblem();
        }

        if (!request.HasFormContentType)
        {
            return TypedResults.Problem("Envoyez le rendu en multipart/form-data (champs text, files, remove).", statusCode: 415, title: "Format non pris en charge");
        }

        var form = await request.ReadFormAsync(ct);
        var remove = form["remove"].Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).ToList();
        var problem = await service.HandInAsync(scope.Entry, pupil, form["text"].ToString(), [.. form.Files.GetFiles("files")], remove, ct);
        if (problem is not null)
        {
            return ToProblem(problem);
        }

        var view = (await service.ViewsAsync(scope.Entry, pupil, ct)).Single();
        return TypedResults.Ok(ToDto(scope.Entry, view, service.IsOpen(scope.Entry)));
    }

    private static async Task<Results<Ok<HandInListDto>, ProblemHttpResult>> ListAsync(
        Guid id, ClaimsPrincipal user, HandInService service, CancellationToken ct)
    {
        var scope = await service.ResolveAsync(user, id, null, ct);
        if (scope is not { Profile: Profile.Teacher })
        {
            return NotFoundProblem();
        }

        var open = service.IsOpen(scope.Entry);
        var views = await service.ViewsAsync(scope.Entry, null, ct);
        return TypedResults.Ok(new HandInListDto(id, scope.Entry.GroupName, scope.Entry.DueAt, [.. views.Select(v => ToDto(scope.Entry, v, open))]));
    }

    internal static async Task<IResult> ArchiveAsync(Guid id, ClaimsPrincipal user, HttpContext http, HandInService service, CancellationToken ct)
    {
        var scope = await service.ResolveAsync(user, id, null, ct);
        if (scope is not { Profile: Profile.Teacher })
        {
            // A bare 404 becomes ProblemDetails (API) or the French page.
            return TypedResults.NotFound();
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Stream(output => service.WriteArchiveAsync(scope.Entry, output, ct), "application/zip", HandInService.ArchiveName(scope.Entry));
    }

    private static async Task<Results<Ok<HandInDto>, ProblemHttpResult>> ReturnAsync(
        Guid id, Guid pupilId, ClaimsPrincipal user, HttpRequest request, HandInService service, CancellationToken ct)
    {
        var scope = await service.ResolveAsync(user, id, pupilId, ct);
        if (scope is not { Profile: Profile.Teacher })
        {
            return NotFoundProblem();
        }

        if (!request.HasFormContentType)
        {
            return TypedResults.Problem("Envoyez la correction en multipart/form-data (champs comment, mark, markOutOf, file).", statusCode: 415,
                title: "Format non pris en charge");
        }

        var form = await request.ReadFormAsync(ct);
        var input = new ReturnInput(form["comment"], form["mark"], form["markOutOf"], form["removeCorrection"] == "true");
        var problem = await service.ReturnAsync(scope.Entry, user.GetPersonId(), pupilId, input, form.Files.GetFile("file"), ct);
        if (problem is not null)
        {
            return ToProblem(problem);
        }

        var view = (await service.ViewsAsync(scope.Entry, pupilId, ct)).Single();
        return TypedResults.Ok(ToDto(scope.Entry, view, service.IsOpen(scope.Entry)));
    }

    internal static async Task<IResult> DownloadAsync(
        Guid id, Guid pupilId, Guid fileId, ClaimsPrincipal user, HttpContext http, HandInService service, CancellationToken ct)
    {
        var scope = await service.ResolveAsync(user, id, pupilId, ct);
        var file = scope?.PupilId is { } pupil ? await service.OpenFileAsync(id, pupil, fileId, ct) : null;
        if (file is null)
        {
            return TypedResults.NotFound();
        }

        var (content, info) = file.Value;
        return FileStore.Download(http, content, info.ContentType, info.FileName);
    }
}
