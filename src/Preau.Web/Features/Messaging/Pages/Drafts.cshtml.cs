using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Messaging.Pages;

/// <summary>The caller's own drafts; deleting touches only a draft of theirs (WHERE).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class DraftsModel(MessagingService messages, MessageAttachments attachments) : PageModel
{
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Paged<DraftView> Drafts { get; private set; } = new([], 1, 20, false);
    public int Unread { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Drafts = await messages.ListDraftsAsync(User.GetPersonId(), PageNumber, ct);
        Unread = await messages.UnreadCountAsync(User.GetPersonId(), ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        await attachments.DeleteDraftAsync(User.GetPersonId(), id, ct);
        return RedirectToPage();
    }
}
