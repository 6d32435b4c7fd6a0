using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Gate;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>Anyone may try to sign in; the account's lockout and the hashing lane set the limits.</summary>
[AllowAnonymous]
internal sealed class SignInModel : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Saisissez votre identifiant.")]
    [MaxLength(100, ErrorMessage = "L'identifiant ne dépasse pas 100 caractères.")]
    public string Login { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Saisissez votre mot de passe ou votre code d'activation.")]
    [MaxLength(200, ErrorMessage = "Le mot de passe ne dépasse pas 200 caractères.")]
    public string Password { get; set; } = "";

    /// <summary>"Rester connecté sur cet appareil": remember the device after this sign-in.</summary>
    [BindProperty]
    public bool Remember { get; set; }

    /// <summary>The browser presents a remembered-device credential: offer a sign-in without password.</summary>
    public bool DeviceRemembered { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The lane was full: offer a one-click retry of the same sign-in.</summary>
    public bool Busy { get; private set; }

    public int RetryAfterSeconds { get; private set; } = 2;


    /// <summary>The password typed was a valid activation code: ask for a new password.</summary>
    public bool ActivationStep { get; private set; }

    public void OnGet() => DeviceRemembered = RememberedDevices.IsPresented(HttpContext);

    /// <summary>Sign-in with this remembered device: no password, no hash.</summary>
    public async Task<IActionResult> OnPostDeviceAsync([FromServices] SignInService signIn, [FromQuery] string? returnUrl, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await signIn.SignInWithDeviceAsync(HttpContext, ct);
        if (result.Status == SignInStatus.Success)
        {
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
        }

        Error = SignInMessages.DeviceRefused;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] SignInService signIn, [FromQuery] string? returnUrl, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await signIn.SignInAsync(HttpContext, Login, Password, Remember, ct);
        switch (result.Status)
        {
            case SignInStatus.Success:
                return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
            case SignInStatus.ActivationRequired:
                ActivationStep = true;
                // The next form carries the code in a hidden field: keep it out of every cache.
                Response.Headers.CacheControl = "no-store";
                return Page();
            case SignInStatus.Busy:
                Busy = true;
                RetryAfterSeconds = result.RetryAfterSeconds;
                GateSignals.MarkHeld(Response); // a wait in line, not a failure
                Error = SignInMessages.Busy;
                // The retry form carries the password back: never keep this page in any cache.
                Response.Headers.CacheControl = "no-store";
                return Refused(result, StatusCodes.Status503ServiceUnavailable);
            case SignInStatus.Slowed:
                Error = SignInMessages.Slowed(result);
                return Refused(result, StatusCodes.Status429TooManyRequests);
            case SignInStatus.LocalPasswordOff:
                Error = SignInMessages.LocalPasswordOff;
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            case SignInStatus.ActivationExpired:
                Error = SignInMessages.ActivationExpired;
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
            default:
                Error = SignInMessages.InvalidCredentials;
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }

    private PageResult Refused(Features.Accounts.SignInResult result, int status)
    {
        Response.StatusCode = status;
        Response.Headers.RetryAfter = result.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Page();
    }
}
