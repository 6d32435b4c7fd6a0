using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Preau.Web.Features.Accounts.Pages;

/// <summary>Every signed-in profile changes its own password, and only its own (id from the cookie).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class ChangePasswordModel : NewPasswordPageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Saisissez votre mot de passe actuel.")]
    [MaxLength(200, ErrorMessage = "Le mot de passe ne dépasse pas 200 caractères.")]
    public string CurrentPassword { get; set; } = "";

    public bool Done { get; private set; }

    public async Task<IActionResult> OnPostAsync([FromServices] SignInService signIn, CancellationToken ct)
    {
        if (CheckForm() is { } invalid)
        {
            return invalid;
        }

        var result = await signIn.ChangePasswordAsync(HttpContext, User.GetPersonId(), CurrentPassword, NewPassword, ct);
        if (Refusal(result) is { } refused)
        {
            return refused;
        }

        if (result.Status == SignInStatus.Success)
        {
            Done = true;
            return Page();
        }

        return Refused(["Le mot de passe actuel est incorrect."], StatusCodes.Status400BadRequest);
    }
}
