using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Messaging.Pages;

/// <summary>Reading one message of the caller's own mailbox (anything else is "not found"),
/// replying, replying to all, trashing and restoring.</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class ReadMessageModel(MessagingService messages) : PageModel
{
    public MessageView? Message { get; private set; }

    [BindProperty]
    public string? ReplyBody { get; set; }

    public List<string> Errors { get; } = [];
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery(Name = "envoye")] bool sent, CancellationToken ct)
    {
        Message = await messages.GetAsync(User.GetPersonId(), id, ct);
        Notice = sent ? "Message envoyé." : null;
        return Message is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostReplyAsync(Guid id, CancellationToken ct) => ReplyAsync(id, false, ct);

    public Task<IActionResult> OnPostReplyAllAsync(Guid id, CancellationToken ct) => ReplyAsync(id, true, ct);

    private async Task<IActionResult> ReplyAsync(Guid id, bool all, CancellationToken ct)
    {
        var result = await messages.ReplyAsync(User.GetPersonId(), id, ReplyBody, all, null, ct);
        if (SendOutcome.Answer(result, Errors, Response) is { } answer)
        {
            return answer;
        }

        Message = await messages.GetAsync(User.GetPersonId(), id, ct);
        return Message is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostTrashAsync(Guid id, CancellationToken ct) =>
        await messages.SetTrashedAsync(User.GetPersonId(), id, true, ct) ? Redirect("/messagerie") : NotFound();

    public async Task<IActionResult> OnPostRestoreAsync(Guid id, CancellationToken ct) =>
        await messages.SetTrashedAsync(User.GetPersonId(), id, false, ct) ? Redirect($"/messagerie/{id}") : NotFound();
}
