using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Web.Features.Accounts;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Messaging;

/// <summary>
/// /api/v1/messages: every signed-in profile has a mailbox, so the group only requires a session;
/// who may be written to is decided per recipient by <see cref="CommunicationRules"/>, and every
/// read or change is limited to the caller's own mailbox rows and drafts.
/// </summary>
internal static class MessagingEndpoints
{
    public static RouteGroupBuilder MapMessaging(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/messages").WithTags("Messagerie").RequireAuthorization(Policies.SignedIn)
            // JSON bodies only: a cross-site form cannot post JSON without a CORS preflight.
            .DisableAntiforgery();
        group.MapGet("", ListAsync);
        group.MapGet("/unread-count", UnreadAsync);
        group.MapGet("/recipients", RecipientsAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("", SendAsync);
        group.MapPost("/{id:guid}/reply", ReplyAsync);
        group.MapPost("/{id:guid}/trash", (Guid id, HttpContext http, MessagingService messages, CancellationToken ct) => TrashAsync(id, true, http, messages, ct));
        group.MapPost("/{id:guid}/restore", (Guid id, HttpContext http, MessagingService messages, CancellationToken ct) => TrashAsync(id, false, http, messages, ct));
        group.MapGet("/drafts", ListDraftsAsync);
        group.MapGet("/drafts/{id:guid}", GetDraftAsync);
        group.MapPost("/drafts", CreateDraftAsync);
        group.MapPut("/drafts/{id:guid}", UpdateDraftAsync);
        group.MapDelete("/drafts/{id:guid}", DeleteDraftAsync);
        group.MapPost("/drafts/{id:guid}/attachments", AttachAsync);
        group.MapGet("/attachments/{id:guid}", DownloadAsync);
        return group;
    }

    internal sealed record SendRequest(List<string>? To, string? Subject, string? Body, Guid? DraftId, Guid? ForwardOf);

    internal sealed record ReplyRequest(string? Body, bool All, Guid? DraftId);

    internal sealed record DraftRequest(List<string>? To, string? Subject, string? Body, Guid? ReplyToId);

    internal sealed record SentResponse(Guid Id, int RecipientCount);

    internal sealed record UnreadResponse(int Unread);

    internal sealed record RecipientsResponse(IReadOnlyList<AudienceChoice> Audiences, IReadOnlyList<AudienceChoice> People, int PeopleTotal, int Page, bool HasMore);

    internal sealed record DraftSaved(Guid Id);

    private static async Task<Results<Ok<Paged<MessageSummary>>, ValidationProblem>> ListAsync(
        HttpContext http, MessagingService messages, CancellationToken ct, string? folder = null, string? q = null, int page = 1)
    {
        if (!TryParseFolder(folder, out var f))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["folder"] = ["Dossier inconnu : inbox, sent ou trash."] });
        }

        return TypedResults.Ok(await messages.ListAsync(http.User.GetPersonId(), f, q, page, ct));
    }

    private static async Task<Ok<UnreadResponse>> UnreadAsync(HttpContext http, MessagingService messages, CancellationToken ct) =>
        TypedResults.Ok(new UnreadResponse(await messages.UnreadCountAsync(http.User.GetPersonId(), ct)));

    private static async Task<Results<Ok<RecipientsResponse>, NotFound>> RecipientsAsync(
        HttpContext http, CommunicationDirectory directory, CancellationToken ct, string? q = null, int page = 1)
    {
        var sender = await directory.LoadAsync(http.User.GetPersonId(), ct);
        if (sender is null)
        {
            return TypedResults.NotFound();
        }

        const int size = 50;
        page = Math.Max(1, page);
        var (audiences, people, total) = await directory.ChoicesAsync(sender, q, (page - 1) * size, size, ct);
        return TypedResults.Ok(new RecipientsResponse(audiences, people, total, page, page * size < total));
    }

    private static async Task<Results<Ok<MessageView>, NotFound>> GetAsync(Guid id, HttpContext http, MessagingService messages, CancellationToken ct) =>
        await messages.GetAsync(http.User.GetPersonId(), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Created<SentResponse>, ValidationProblem, ProblemHttpResult, NotFound>> SendAsync(
        SendRequest request, HttpContext http, MessagingService messages, CancellationToken ct) =>
        ToResult(await messages.SendAsync(http.User.GetPersonId(), request.To, request.Subject, request.Body, request.DraftId, request.ForwardOf, ct));

    private static async Task<Results<Created<SentResponse>, ValidationProblem, ProblemHttpResult, NotFound>> ReplyAsync(
        Guid id, ReplyRequest request, HttpContext http, MessagingService messages, CancellationToken ct) =>
        ToResult(await messages.ReplyAsync(http.User.GetPersonId(), id, request.Body, request.All, request.DraftId, ct));

    private static Results<Created<SentResponse>, ValidationProblem, ProblemHttpResult, NotFound> ToResult(SendResult result) => result.Status switch
    {
        SendStatus.Sent => TypedResults.Created($"/api/v1/messages/{result.MessageId}", new SentResponse(result.MessageId, result.RecipientCount)),
        SendStatus.Invalid => TypedResults.ValidationProblem(result.Errors!),
        SendStatus.Refused => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status403Forbidden, title: "Destinataire non autorisé"),
        _ => TypedResults.NotFound(),
    };

    private static async Task<Results<NoContent, NotFound>> TrashAsync(Guid id, bool trashed, HttpContext http, MessagingService messages, CancellationToken ct) =>
        await messages.SetTrashedAsync(http.User.GetPersonId(), id, trashed, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Ok<Paged<DraftView>>> ListDraftsAsync(HttpContext http, MessagingService messages, CancellationToken ct, int page = 1) =>
        TypedResults.Ok(await messages.ListDraftsAsync(http.User.GetPersonId(), page, ct));

    private static async Task<Results<Ok<DraftView>, NotFound>> GetDraftAsync(Guid id, HttpContext http, MessagingService messages, CancellationToken ct) =>
        await messages.GetDraftAsync(http.User.GetPersonId(), id, ct) is { } draft ? TypedResults.Ok(draft) : TypedResults.NotFound();

    private static ValidationProblem UnknownReplyTo() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["replyToId"] = ["Le message auquel ce brouillon répond est introuvable dans votre messagerie."],
    });

    private static async Task<Results<Created<DraftSaved>, ValidationProblem>> CreateDraftAsync(
        DraftRequest request, HttpContext http, MessagingService messages, CancellationToken ct)
    {
        if (!await messages.MayReplyToAsync(http.User.GetPersonId(), request.ReplyToId, ct))
        {
            return UnknownReplyTo();
        }

        var id = await messages.SaveDraftAsync(http.User.GetPersonId(), null, request.Subject, request.Body, request.To, request.ReplyToId, ct);
        return TypedResults.Created($"/api/v1/messages/drafts/{id}", new DraftSaved(id!.Value));
    }

    private static async Task<Results<Ok<DraftSaved>, ValidationProblem, NotFound>> UpdateDraftAsync(
        Guid id, DraftRequest request, HttpContext http, MessagingService messages, CancellationToken ct)
    {
        if (!await messages.MayReplyToAsync(http.User.GetPersonId(), request.ReplyToId, ct))
        {
            return UnknownReplyTo();
        }

        return await messages.SaveDraftAsync(http.User.GetPersonId(), id, request.Subject, request.Body, request.To, request.ReplyToId, ct) is { } saved
            ? TypedResults.Ok(new DraftSaved(saved))
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound>> DeleteDraftAsync(Guid id, HttpContext http, MessageAttachments store, CancellationToken ct) =>
        await store.DeleteDraftAsync(http.User.GetPersonId(), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    // Multipart, so a cross-site form could post it: the draft must be the caller's, which a
    // forged form cannot know, and the upload only ever lands in the caller's own draft.
    private static async Task<Results<Created<AttachmentInfo>, ValidationProblem, ProblemHttpResult, NotFound>> AttachAsync(
        Guid id, IFormFile? file, HttpContext http, MessageAttachments store, CancellationToken ct)
    {
        var result = await store.AddToDraftAsync(http.User.GetPersonId(), id, file, ct);
        return result.Status switch
        {
            AttachmentStatus.Saved => TypedResults.Created($"/api/v1/messages/attachments/{result.Attachment!.Id}", result.Attachment),
            AttachmentStatus.Invalid when result.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                TypedResults.Problem(result.Error, statusCode: result.StatusCode, title: "Pièce jointe refusée"),
            AttachmentStatus.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [result.Error!] }),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<Results<FileStreamHttpResult, NotFound>> DownloadAsync(Guid id, HttpContext http, MessageAttachments store, CancellationToken ct)
    {
        if (await store.OpenAsync(http.User.GetPersonId(), id, ct) is not { } opened)
        {
            return TypedResults.NotFound();
        }

        return FileStore.Download(http, opened.Content, opened.Attachment.ContentType, opened.Attachment.FileName);
    }

    internal static bool TryParseFolder(string? text, out Folder folder)
    {
        folder = (text ?? "inbox").ToLowerInvariant() switch
        {
            "inbox" or "reception" => Folder.Inbox,
            "sent" or "envoyes" => Folder.Sent,
            "trash" or "corbeille" => Folder.Trash,
            _ => (Folder)(-1),
        };
        return Enum.IsDefined(folder);
    }
}
