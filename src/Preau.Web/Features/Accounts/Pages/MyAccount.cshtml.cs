using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>Every signed-in profile sees and forgets its own remembered devices, and only its own
/// (person id from the cookie, in the WHERE of every query).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class MyAccountModel(RememberedDevices devices) : PageModel
{
    public IReadOnlyList<RememberedDeviceView> Devices { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Devices = await devices.ListAsync(HttpContext, User.GetPersonId(), ct);

    public async Task<IActionResult> OnPostForgetAsync(Guid id, CancellationToken ct)
    {
        var forgotten = await devices.ForgetAsync(HttpContext, User.GetPersonId(), id, ct);
        Message = forgotten ? "Cet appareil est oublié : il devra à nouveau saisir le mot de passe." : "Cet appareil n'était plus mémorisé.";
        if (!forgotten)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        Devices = await devices.ListAsync(HttpContext, User.GetPersonId(), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostForgetAllAsync(CancellationToken ct)
    {
        await devices.ForgetAllAsync(HttpContext, User.GetPersonId(), ct);
        Message = "Tous vos appareils sont oubliés.";
        return Page();
    }
}
