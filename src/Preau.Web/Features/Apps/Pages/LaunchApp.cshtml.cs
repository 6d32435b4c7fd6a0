using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Apps.Pages;

/// <summary>
/// The home page's link to an app: checked again (the app may have been disabled, or the link shared with
/// someone of another profile or region), then a redirect to the launch URL the region declared — never to
/// an address taken from the request. Anyone signed in; not allowed or not found is the same French 404.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class LaunchAppModel(AppCatalog catalog) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var app = await catalog.FindAsync(User.GetRegionId(), User.GetProfile(), id, ct);
        return app is null ? NotFound() : Redirect(app.LaunchUrl);
    }
}
