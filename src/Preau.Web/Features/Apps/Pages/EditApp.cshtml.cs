using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Apps;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Apps.Pages;

/// <summary>One app of the region: change it, give it a new secret, disable or enable it, delete it. Region
/// administrator only, and only their region's apps (another region's id is not found).</summary>
[Authorize(Policy = Policies.RegionAdmin)]
internal sealed class EditAppModel(AppRegistry registry) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public AppForm Form { get; set; } = new();

    public ConnectedApp App { get; private set; } = null!;

    /// <summary>A secret just generated, shown on this answer only.</summary>
    public AppSaveResult? NewSecret { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Form = AppForm.From(App);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await registry.UpdateAsync(User.GetRegionId(), Id, Form, newSecret: false, ct);
        if (result is null)
        {
            return NotFound();
        }

        if (!result.Saved)
        {
            AppForm.Report(ModelState, result.Errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(ct) ? Page() : NotFound();
        }

        return Saved(result, $"Application « {result.App!.Name} » enregistrée.");
    }

    public async Task<IActionResult> OnPostSecretAsync(CancellationToken ct)
    {
        var result = await registry.NewSecretAsync(User.GetRegionId(), Id, ct);
        return result is null ? NotFound() : Saved(result, "Nouveau secret généré : l'ancien ne fonctionne plus.");
    }

    public async Task<IActionResult> OnPostEnabledAsync(bool enabled, CancellationToken ct)
    {
        var app = await registry.SetEnabledAsync(User.GetRegionId(), Id, enabled, ct);
        if (app is null)
        {
            return NotFound();
        }

        TempData["saved"] = enabled
            ? $"Application « {app.Name} » activée : elle apparaît sur la page d'accueil des profils autorisés."
            : $"Application « {app.Name} » désactivée : elle n'est plus proposée et Préau n'y connecte plus personne.";
        return Redirect($"/region/applications/{Id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (!await registry.DeleteAsync(User.GetRegionId(), Id, ct))
        {
            return NotFound();
        }

        TempData["saved"] = "Application supprimée.";
        return Redirect("/region/applications");
    }

    /// <summary>A new secret is shown on this answer (never carried in a cookie); otherwise back to the page.</summary>
    private IActionResult Saved(AppSaveResult result, string message)
    {
        if (result.ClientSecret is null)
        {
            TempData["saved"] = message;
            return Redirect($"/region/applications/{Id}");
        }

        App = result.App!;
        Form = AppForm.From(App);
        NewSecret = result;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var app = await registry.FindAsync(User.GetRegionId(), Id, ct);
        if (app is null)
        {
            return false;
        }

        App = app;
        return true;
    }
}
