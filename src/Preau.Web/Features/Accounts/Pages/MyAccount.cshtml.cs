using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>Every signed-in profile sees and forgets its own remembered devices, and only its own
/// (person id from the cookie, in the WHERE of every query).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class MyAccountModel(RememberedDevices devices, ServerSessions sessions) : PageModel
{
    public IReadOnlyList<RememberedDeviceView> Devices { get; private set; } = [];

    public string? Message { get; private set; }

    public IReadOnlyList<SessionView> Sessions { get; private set; } = [];

    public string? SessionMessage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCloseSessionAsync(string? id, CancellationToken ct)
    {
        var closed = id is not null && await sessions.CloseAsync(User.GetPersonId(), id, ct);
        SessionMessage = closed ? "Cette session est fermée\u202f: l'appareil devra se reconnecter." : "Cette session n'était plus ouverte.";
        if (!closed)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Ends every session of the account, this one included; remembered devices stay (they are a sign-in, not a session).</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync(CancellationToken ct)
    {
        await sessions.CloseAllAsync(User.GetPersonId(), null, ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/connexion");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Sessions = await sessions.ListAsync(HttpContext, User.GetPersonId(), ct);
        Devices = await devices.ListAsync(HttpContext, User.GetPersonId(), ct);
    }

    public async Task<IActionResult> OnPostForgetAsync(Guid id, CancellationToken ct)
    {
        var forgotten = await devices.ForgetAsync(HttpContext, User.GetPersonId(), id, ct);
        Message = forgotten ? "Cet appareil est oublié : il devra à nouveau saisir le mot de passe." : "Cet appareil n'était plus mémorisé.";
        if (!forgotten)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostForgetAllAsync(CancellationToken ct)
    {
        await devices.ForgetAllAsync(HttpContext, User.GetPersonId(), ct);
        Message = "Tous vos appareils sont oubliés.";
        await LoadAsync(ct);
        return Page();
    }
}
