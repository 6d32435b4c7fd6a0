using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Messaging.Pages;

/// <summary>Inbox, sent and trash folders with search; every signed-in profile has a mailbox.</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class InboxModel(MessagingService messages) : PageModel
{
    [FromQuery(Name = "dossier")]
    public string? FolderName { get; set; }

    [FromQuery(Name = "q")]
    public string? Search { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Folder Folder { get; private set; }
    public Paged<MessageSummary> Messages { get; private set; } = new([], 1, 20, false);
    public int Unread { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Folder = FolderName switch
        {
            "envoyes" => Folder.Sent,
            "corbeille" => Folder.Trash,
            _ => Folder.Inbox,
        };
        var me = User.GetPersonId();
        Messages = await messages.ListAsync(me, Folder, Search, Math.Max(1, PageNumber), ct);
        Unread = await messages.UnreadCountAsync(me, ct);
        return Page();
    }

    public string FolderKey => Folder switch
    {
        Folder.Sent => "envoyes",
        Folder.Trash => "corbeille",
        _ => "reception",
    };
}
