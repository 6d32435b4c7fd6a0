using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>First sign-in with the paper code: anonymous by nature; the code is the credential,
/// failures count towards the account's lockout.</summary>
[AllowAnonymous]
internal sealed class ActivateModel : NewPasswordPageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Saisissez votre identifiant.")]
    [MaxLength(100, ErrorMessage = "L'identifiant ne dépasse pas 100 caractères.")]
    public string Login { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Saisissez le code d'activation reçu de votre établissement.")]
    [MaxLength(50, ErrorMessage = "Le code d'activation ne dépasse pas 50 caractères.")]
    public string Code { get; set; } = "";

    /// <summary>The QR code of a login card opens /activation?login=…&amp;code=…: both fields come filled in.</summary>
    public void OnGet(string? login, string? code)
    {
        Login = login?.Trim() ?? "";
        Code = code?.Trim() ?? "";
    }

    public async Task<IActionResult> OnPostAsync([FromServices] SignInService signIn, CancellationToken ct)
    {
        if (CheckForm() is { } invalid)
        {
            return invalid;
        }

        var result = await signIn.ActivateAsync(HttpContext, Login, Code, NewPassword, ct);
        if (Refusal(result) is { } refused)
        {
            return refused;
        }

        return result.Status switch
        {
            SignInStatus.Success => (IActionResult)LocalRedirect("/"),
            SignInStatus.ActivationExpired => Refused([SignInMessages.ActivationExpired], StatusCodes.Status401Unauthorized),
            _ => Refused(["Identifiant ou code d'activation incorrect."], StatusCodes.Status401Unauthorized),
        };
    }
}
