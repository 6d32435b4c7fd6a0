using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Preau.Web.Features.Accounts.External.Pages;

/// <summary>Where an external sign-in ends when it does not go straight home: anyone may read these
/// explanations; the "linked" one names the signed-in person and nobody else.</summary>
[AllowAnonymous]
internal sealed class ExternalOutcomeModel(IOptions<ExternalSignInOptions> options) : PageModel
{
    public ExternalOutcome Outcome { get; private set; }

    public string ProviderName => options.Value.DisplayName;

    public string? PersonName { get; private set; }

    public string Next { get; private set; } = "/";

    public IActionResult OnGet(string outcome, string? returnUrl)
    {
        if (ExternalOutcomePages.Parse(outcome) is not { } parsed)
        {
            return NotFound();
        }

        Outcome = parsed;
        if (Outcome == ExternalOutcome.Linked)
        {
            PersonName = User.FindFirst(PreauClaims.Name)?.Value;
            if (PersonName is null)
            {
                // Nobody signed in: the link page means nothing to them.
                return LocalRedirect("/connexion");
            }

            Next = returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
            return Page();
        }

        Response.StatusCode = Outcome == ExternalOutcome.Failed ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden;
        return Page();
    }
}
