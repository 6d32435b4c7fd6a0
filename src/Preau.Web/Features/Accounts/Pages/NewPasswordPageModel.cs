using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>What the pages showing <c>_NewPasswordFields</c> share: the two fields, their check,
/// and how a refusal is shown (French messages, the status a client can act on).</summary>
internal abstract class NewPasswordPageModel : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Choisissez un mot de passe.")]
    public string NewPassword { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Confirmez le mot de passe.")]
    public string ConfirmPassword { get; set; } = "";

    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>The page again with its 400 when the form is invalid or the two passwords differ; null when it may go on.</summary>
    protected PageResult? CheckForm()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return string.Equals(NewPassword, ConfirmPassword, StringComparison.Ordinal) ? null
            : Refused(["Les deux mots de passe ne sont pas identiques."], StatusCodes.Status400BadRequest);
    }

    /// <summary>The refusals both pages answer the same way; null for the outcomes that differ.</summary>
    protected PageResult? Refusal(SignInResult result)
    {
        if (result.Status is SignInStatus.Slowed or SignInStatus.Busy)
        {
            Response.Headers.RetryAfter = result.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return result.Status switch
        {
            SignInStatus.PasswordRejected => Refused(result.Errors ?? [], StatusCodes.Status400BadRequest),
            SignInStatus.Slowed => Refused([SignInMessages.Slowed(result)], StatusCodes.Status429TooManyRequests),
            SignInStatus.Busy => Refused([SignInMessages.Busy], StatusCodes.Status503ServiceUnavailable),
            _ => null,
        };
    }

    protected PageResult Refused(IReadOnlyList<string> errors, int status)
    {
        Errors = errors;
        Response.StatusCode = status;
        return Page();
    }
}
