using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Apps.Pages;

/// <summary>Declaring an app for the region (region administrator only). A confidential OpenID Connect
/// client gets its secret here, shown on this answer only.</summary>
[Authorize(Policy = Policies.RegionAdmin)]
internal sealed class NewAppModel(AppRegistry registry) : PageModel
{
    [BindProperty]
    public AppForm Form { get; set; } = AppForm.New();

    /// <summary>The app just created, with its secret in clear: shown once, never stored.</summary>
    public AppSaveResult? Created { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await registry.CreateAsync(User.GetRegionId(), Form, ct);
        if (!result.Saved)
        {
            AppForm.Report(ModelState, result.Errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (result.ClientSecret is null)
        {
            TempData["saved"] = $"Application « {result.App!.Name} » enregistrée.";
            return Redirect($"/region/applications/{result.App!.Id}");
        }

        Created = result;
        return Page();
    }
}
