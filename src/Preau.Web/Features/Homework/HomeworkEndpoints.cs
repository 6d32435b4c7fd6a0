using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Data.Homework;
using Preau.Web.Features.Accounts;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework;

internal static class HomeworkEndpoints
{
    public static RouteGroupBuilder MapHomeworkApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Devoirs");
        // Reads: everyone in a class's life; HomeworkAccess narrows to their classes (or child).
        var read = api.MapGroup("").RequireAuthorization(Policies.SchoolMember);
        read.MapGet("/homework", ListAsync).WithName("ListHomework")
            .Produces<HomeworkListDto>().Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Cahier de textes de from à to (au plus Homework:MaxRangeDays jours). Parent : studentId.");
        read.MapGet("/homework/{id:guid}", GetAsync).WithName("GetHomework");
        read.MapGet("/homework/{id:guid}/attachments/{attachmentId:guid}", DownloadAsync).WithName("DownloadHomeworkAttachment")
            .WithSummary("Quiconque peut lire l'entrée.");
        // Writes: teachers; the service checks the class and subject (or authorship) in the database.
        var write = api.MapGroup("").RequireAuthorization(Policies.Teacher);
        write.MapPost("/classes/{classId:guid}/homework", CreateAsync).WithName("CreateHomework")
            .WithSummary("Enseignant de cette matière dans cette classe ou ce groupe.");
        write.MapPut("/homework/{id:guid}", UpdateAsync).WithName("UpdateHomework").WithSummary("Auteur de l'entrée.");
        write.MapDelete("/homework/{id:guid}", DeleteAsync).WithName("DeleteHomework").WithSummary("Auteur de l'entrée.");
        // Multipart from scripts and apps; browsers use the page form, which carries an antiforgery token.
        // The cookie is SameSite=Lax, so a cross-site form cannot post here with it.
        write.MapPost("/homework/{id:guid}/attachments", AddAttachmentAsync).WithName("AddHomeworkAttachment")
            .WithSummary("Auteur de l'entrée. Fichier en multipart/form-data (champ file).").DisableAntiforgery();
        // Ticks: pupils only, on entries of their own groups.
        var done = api.MapGroup("").RequireAuthorization(Policies.Pupil);
        done.MapPost("/homework/{id:guid}/done", MarkDoneAsync).WithName("MarkHomeworkDone").WithSummary("Élève de la classe.");
        done.MapDelete("/homework/{id:guid}/done", UnmarkDoneAsync).WithName("UnmarkHomeworkDone").WithSummary("Élève de la classe.");
        return api;
    }

    /// <summary>The same download for people, under a page path so that refusals show the French error page.</summary>
    public static void MapHomeworkDownloads(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/devoirs/{id:guid}/pieces/{attachmentId:guid}", DownloadAsync).RequireAuthorization(Policies.SchoolMember).ExcludeFromDescription();

    /// <summary>An entry as a teacher writes it. handIn: none (default), text, files or both, what pupils hand in;
    /// handInTime: the deadline on dueDate, Paris time, "HH:mm" (default 08:00); handInLateAllowed: late work taken (marked late).</summary>
    internal sealed record HomeworkRequest(string Title, string? Body, Guid SubjectId, DateOnly DueDate, int? EstimatedMinutes, string? Kind,
        string? HandIn = null, string? HandInTime = null, bool HandInLateAllowed = false);

    internal sealed record CreatedHomework(Guid Id);

    internal sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long Length, string Url);

    internal sealed record HomeworkDto(
        Guid Id, Guid ClassId, string ClassName, Guid SubjectId, string SubjectName, string Kind, string Title, string Body,
        string BodyHtml, DateOnly DueDate, int? EstimatedMinutes, Guid AuthorId, string AuthorName, DateTimeOffset CreatedAt,
        IReadOnlyList<AttachmentDto> Attachments, bool? Done, HandInDto? HandIn);

    /// <summary>What pupils hand in (text, files or both), the deadline, and whether late work is taken.</summary>
    internal sealed record HandInDto(string Mode, DateTimeOffset DueAt, bool LateAllowed, string Url);

    internal sealed record HomeworkListDto(DateOnly From, DateOnly To, Guid? StudentId, IReadOnlyList<HomeworkDto> Items);

    private static HomeworkDto ToDto(HomeworkItem i, bool? done) => new(
        i.Id, i.GroupId, i.GroupName, i.SubjectId, i.SubjectName, i.Kind == HomeworkKind.Lesson ? "lesson" : "homework", i.Title, i.Body,
        i.BodyHtml, i.Date, i.EstimatedMinutes, i.AuthorId, i.AuthorName, i.CreatedAt,
        [.. i.Attachments.Select(a => new AttachmentDto(a.Id, a.FileName, a.ContentType, a.Length, $"/api/v1/homework/{i.Id}/attachments/{a.Id}"))],
        done, i.HandIn is { } h ? new HandInDto(Pages.EntryFields.HandInValue(h.Mode), h.DueAt, h.LateAllowed, $"/api/v1/homework/{i.Id}/submission") : null);

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Accès refusé");

    private static ProblemHttpResult NotFoundProblem() =>
        TypedResults.Problem("Cette entrée n'existe pas ou vous n'y avez pas accès.", statusCode: StatusCodes.Status404NotFound, title: "Introuvable");

    internal static ProblemHttpResult? ScopeProblem(ScopeOutcome outcome) => outcome switch
    {
        ScopeOutcome.Ok => null,
        ScopeOutcome.StudentRequired => TypedResults.Problem("Précisez l'élève avec le paramètre studentId.", statusCode: 400, title: "Élève à préciser"),
        _ => Forbidden("Vous n'avez pas accès à ce cahier de textes."),
    };

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal user, HttpContext http, HomeworkAccess access, HomeworkService service, ListResponseCache responses,
        Microsoft.Extensions.Options.IOptions<HomeworkOptions> options, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null, Guid? studentId = null, Guid? classId = null)
    {
        if (SchoolDay.RangeErrors(from, to) is { Count: > 0 } dateErrors)
        {
            return TypedResults.ValidationProblem(dateErrors);
        }

        var start = from ?? service.Today;
        var end = to ?? start.AddDays(6);
        if (end < start || end.DayNumber - start.DayNumber >= options.Value.MaxRangeDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["to"] = [$"La période doit aller de from à to (to ≥ from), sur {options.Value.MaxRangeDays} jours au plus."],
            });
        }

        var (outcome, scope) = await access.ResolveAsync(user, studentId, ct);
        if (ScopeProblem(outcome) is { } problem || scope is null)
        {
            return ScopeProblem(outcome)!;
        }

        if (classId is { } only && !scope.GroupIds.Contains(only))
        {
            return Forbidden("Vous n'avez pas accès au cahier de textes de cette classe.");
        }

        var etag = service.ETagFor(scope, start, end, classId);
        if (NotModified(http, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return await responses.GetOrCreateAsync(http, etag, async () =>
        {
            var list = await service.ListAsync(scope, start, end, classId, ct);
            return new HomeworkListDto(start, end, scope.PupilId, [.. list.Items.Select(i => ToDto(i, list.PupilId is null ? null : list.Done.Contains(i.Id)))]);
        });
    }

    /// <summary>True when the client's copy is current. Private: each user's list differs.</summary>
    private static bool NotModified(HttpContext http, string etag)
    {
        SetCacheHeaders(http, etag);
        return http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*"));
    }

    private static void SetCacheHeaders(HttpContext http, string etag)
    {
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-cache";
    }

    private static async Task<Results<Ok<HomeworkDto>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, HomeworkAccess access, HomeworkService service, CancellationToken ct, Guid? studentId = null)
    {
        var group = await access.VisibleEntryGroupAsync(user, id, studentId, ct);
        if (group is null)
        {
            return NotFoundProblem();
        }

        var (_, scope) = await access.ResolveAsync(user, studentId, ct);
        var found = await service.GetItemAsync(group.Value, id, scope?.PupilId, ct);
        return found is { } f ? TypedResults.Ok(ToDto(f.Item, f.Done)) : NotFoundProblem();
    }

    private static HomeworkInput ToInput(HomeworkRequest r, HomeworkKind kind, TimeOnly handInTime) =>
        new(kind, r.Title ?? "", r.Body, r.SubjectId, r.DueDate, r.EstimatedMinutes,
            new HandInInput(Pages.EntryFields.ParseHandIn(r.HandIn), handInTime, r.HandInLateAllowed));

    /// <summary>The request's kind and hand-in fields, or the French errors that refuse them.</summary>
    private static (HomeworkKind Kind, TimeOnly HandInTime, Dictionary<string, string[]> Errors) ParseRequest(HomeworkRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = ParseKind(r.Kind);
        if (kind is null)
        {
            errors["kind"] = ["kind vaut homework ou lesson."];
        }

        if (r.HandIn is not (null or "none" or "text" or "files" or "both"))
        {
            errors["handIn"] = ["handIn vaut none, text, files ou both."];
        }

        var time = Pages.EntryFields.DefaultHandInTime;
        if (r.HandInTime is { } t && !TimeOnly.TryParseExact(t, "HH:mm", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out time))
        {
            errors["handInTime"] = ["handInTime est une heure au format HH:mm (heure de Paris)."];
        }

        return (kind ?? HomeworkKind.Homework, time, errors);
    }

    private static HomeworkKind? ParseKind(string? kind) => kind?.ToLowerInvariant() switch
    {
        null or "" or "homework" => HomeworkKind.Homework,
        "lesson" => HomeworkKind.Lesson,
        _ => null,
    };

    private static async Task<Results<Created<CreatedHomework>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid classId, HomeworkRequest request, ClaimsPrincipal user, HomeworkService service, CancellationToken ct)
    {
        var (kind, time, invalid) = ParseRequest(request);
        if (invalid.Count > 0)
        {
            return TypedResults.ValidationProblem(invalid);
        }

        var (outcome, id, errors) = await service.CreateAsync(user.GetPersonId(), classId, ToInput(request, kind, time), [], ct);
        return outcome switch
        {
            WriteOutcome.Ok => TypedResults.Created($"/api/v1/homework/{id}", new CreatedHomework(id)),
            WriteOutcome.Invalid => TypedResults.ValidationProblem(errors!),
            _ => Forbidden("Vous n'enseignez pas cette matière dans cette classe."),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, HomeworkRequest request, ClaimsPrincipal user, HomeworkService service, CancellationToken ct)
    {
        var (kind, time, invalid) = ParseRequest(request);
        if (invalid.Count > 0)
        {
            return TypedResults.ValidationProblem(invalid);
        }

        var (outcome, errors) = await service.UpdateAsync(user.GetPersonId(), id, ToInput(request, kind, time), ct);
        return outcome switch
        {
            WriteOutcome.Ok => TypedResults.NoContent(),
            WriteOutcome.Invalid => TypedResults.ValidationProblem(errors!),
            WriteOutcome.Forbidden => Forbidden("Vous n'enseignez pas cette matière dans cette classe."),
            _ => NotFoundProblem(),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, HomeworkService service, CancellationToken ct)
    {
        return await service.DeleteAsync(user.GetPersonId(), id, ct) == WriteOutcome.Ok ? TypedResults.NoContent() : NotFoundProblem();
    }

    private static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> AddAttachmentAsync(
        Guid id, IFormFile? file, ClaimsPrincipal user, HomeworkService service, CancellationToken ct)
    {
        if (file is null)
        {
            return TypedResults.Problem("Joignez un fichier (champ file).", statusCode: 400, title: "Fichier manquant");
        }

        await using var content = file.OpenReadStream();
        var (outcome, attachmentId, saved) = await service.AddAttachmentAsync(user.GetPersonId(), id, content, file.FileName, ct);
        return outcome switch
        {
            WriteOutcome.Ok when saved?.File is { } stored => TypedResults.Created($"/api/v1/homework/{id}/attachments/{attachmentId}",
                new AttachmentDto(attachmentId, stored.FileName, stored.ContentType, stored.Length, $"/api/v1/homework/{id}/attachments/{attachmentId}")),
            WriteOutcome.Invalid => TypedResults.Problem(saved!.Message, statusCode: saved.StatusCode, title: "Pièce jointe refusée"),
            _ => NotFoundProblem(),
        };
    }

    internal static async Task<IResult> DownloadAsync(
        Guid id, Guid attachmentId, ClaimsPrincipal user, HttpContext http, HomeworkAccess access, HomeworkService service, CancellationToken ct)
    {
        var group = await access.VisibleEntryGroupAsync(user, id, null, ct);
        var file = group is null ? null : await service.OpenAttachmentAsync(id, attachmentId, ct);
        if (file is null)
        {
            // Unknown and not-yours look the same; a bare 404 becomes ProblemDetails (API) or the French page.
            return TypedResults.NotFound();
        }

        var (content, info) = file.Value;
        return FileStore.Download(http, content, info.ContentType, info.FileName);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkDoneAsync(
        Guid id, ClaimsPrincipal user, HomeworkService service, CancellationToken ct) =>
        await SetDoneAsync(id, true, user, service, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> UnmarkDoneAsync(
        Guid id, ClaimsPrincipal user, HomeworkService service, CancellationToken ct) =>
        await SetDoneAsync(id, false, user, service, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDoneAsync(
        Guid id, bool done, ClaimsPrincipal user, HomeworkService service, CancellationToken ct) =>
        await service.SetDoneAsync(user.GetPersonId(), id, done, ct) ? TypedResults.NoContent() : NotFoundProblem();
}
