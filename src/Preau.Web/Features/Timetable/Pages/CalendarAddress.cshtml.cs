using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Timetable.Pages;

/// <summary>The personal calendar address, also shown on the account page (<c>_CalendarAddress</c>).
/// Every signed-in person sees and revokes their own address only (person id from the cookie);
/// creating one is for pupils, parents and teachers. Post/Redirect/Get: a reload never creates
/// (and silently replaces) another address.</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class CalendarAddressModel(CalendarFeeds feeds) : PageModel
{
    public const string NoticeKey = "agenda";

    private const string Back = "/compte#agenda";

    [HandlerPolicy(Policies.CalendarOwner)]
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        await feeds.CreateAsync(User.GetPersonId(), ct);
        TempData[NoticeKey] = "Nouvelle adresse créée : ajoutez-la à votre application d'agenda. Toute adresse précédente ne fonctionne plus.";
        return LocalRedirect(Back);
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken ct)
    {
        var revoked = await feeds.RevokeAsync(User.GetPersonId(), ct);
        TempData[NoticeKey] = revoked > 0 ? "Adresse révoquée : elle ne fonctionne plus." : "Vous n'aviez pas d'adresse d'agenda.";
        return LocalRedirect(Back);
    }
}
