using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>First sign-in with the paper code: anonymous by nature; the code is the credential,
/// failures count towards the account's lockout.</summary>
[AllowAnonymous]
internal sealed class ActivateModel : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Saisissez votre identifiant.")]
    [MaxLength(100, ErrorMessage = "L'identifiant ne dépasse pas 100 caractères.")]
    public string Login { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Saisissez le code d'activation reçu de votre établissement.")]
    [MaxLength(50, ErrorMessage = "Le code d'activation ne dépasse pas 50 caractères.")]
    public string Code { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Choisissez un mot de passe.")]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Confirmez le mot de passe.")]
    public string ConfirmPassword { get; set; } = "";

    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>The QR code of a login card opens /activation?login=…&amp;code=…: both fields come filled in.</summary>
    public void OnGet(string? login, string? code)
    {
        Login = login?.Trim() ?? "";
        Code = code?.Trim() ?? "";
    }

    public async Task<IActionResult> OnPostAsync([FromServices] SignInService signIn, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!string.Equals(NewPassword, ConfirmPassword, StringComparison.Ordinal))
        {
            return Refused(["Les deux mots de passe ne sont pas identiques."], StatusCodes.Status400BadRequest);
        }

        var result = await signIn.ActivateAsync(HttpContext, Login, Code, NewPassword, ct);
        if (result.Status is SignInStatus.LockedOut or SignInStatus.Busy)
        {
            Response.Headers.RetryAfter = result.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return result.Status switch
        {
            SignInStatus.Success => LocalRedirect("/"),
            SignInStatus.PasswordRejected => Refused(result.Errors ?? [], StatusCodes.Status400BadRequest),
            SignInStatus.ActivationExpired => Refused([SignInMessages.ActivationExpired], StatusCodes.Status401Unauthorized),
            SignInStatus.LockedOut => Refused([SignInMessages.LockedOut(result)], StatusCodes.Status429TooManyRequests),
            SignInStatus.Busy => Refused([SignInMessages.Busy], StatusCodes.Status503ServiceUnavailable),
            _ => Refused(["Identifiant ou code d'activation incorrect."], StatusCodes.Status401Unauthorized),
        };
    }

    private PageResult Refused(IReadOnlyList<string> errors, int status)
    {
        Errors = errors;
        Response.StatusCode = status;
        return Page();
    }
}
