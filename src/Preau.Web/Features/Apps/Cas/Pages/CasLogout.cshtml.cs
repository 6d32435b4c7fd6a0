using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Preau.Web.Features.Apps.Cas.Pages;

/// <summary>
/// Where a CAS app sends people to sign out. Anyone may open it. A GET never signs anyone out (a foreign page
/// could embed it): it asks, and the button posts with the antiforgery token. Signing out ends the Préau
/// session, which tells every app it signed into (single logout). Afterwards, a <c>service</c> the region
/// declared gets the person back; any other address is ignored.
/// </summary>
[AllowAnonymous]
internal sealed class CasLogoutModel(CasTickets tickets) : PageModel
{
    [FromQuery(Name = "service")]
    public string? Service { get; set; }

    public bool SignedIn { get; private set; }

    public string? AppName { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var app = await tickets.FindAppAsync(Service, ct);
        SignedIn = User.Identity?.IsAuthenticated == true;
        if (!SignedIn && app is not null)
        {
            return Redirect(Service!);
        }
        AppName = app?.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var app = await tickets.FindAppAsync(Service, ct);
        if (app is not null)
        {
            return Redirect(Service!);
        }
        return Page();
    }
}
