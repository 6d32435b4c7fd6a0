using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>Every signed-in profile changes its own password, and only its own (id from the cookie).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class ChangePasswordModel : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Saisissez votre mot de passe actuel.")]
    [MaxLength(200, ErrorMessage = "Le mot de passe ne dépasse pas 200 caractères.")]
    public string CurrentPassword { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Choisissez un mot de passe.")]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Confirmez le mot de passe.")]
    public string ConfirmPassword { get; set; } = "";

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public bool Done { get; private set; }

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

        var result = await signIn.ChangePasswordAsync(HttpContext, User.GetPersonId(), CurrentPassword, NewPassword, ct);
        if (result.Status is SignInStatus.LockedOut or SignInStatus.Busy)
        {
            Response.Headers.RetryAfter = result.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        switch (result.Status)
        {
            case SignInStatus.Success:
                Done = true;
                return Page();
            case SignInStatus.PasswordRejected:
                return Refused(result.Errors ?? [], StatusCodes.Status400BadRequest);
            case SignInStatus.LockedOut:
                return Refused([SignInMessages.LockedOut(result)], StatusCodes.Status429TooManyRequests);
            case SignInStatus.Busy:
                return Refused([SignInMessages.Busy], StatusCodes.Status503ServiceUnavailable);
            default:
                return Refused(["Le mot de passe actuel est incorrect."], StatusCodes.Status400BadRequest);
        }
    }

    private PageResult Refused(IReadOnlyList<string> errors, int status)
    {
        Errors = errors;
        Response.StatusCode = status;
        return Page();
    }
}
