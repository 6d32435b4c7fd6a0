using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Apps.Cas.Pages;

/// <summary>
/// Where a CAS app sends people. Anyone may open it; it gives a ticket only to a signed-in person whose profile
/// the app admits, and only for a service URL the region declared, matched exactly. An unknown service gets a
/// French page, never a redirect (no open redirect through Préau).
/// </summary>
[AllowAnonymous]
internal sealed class CasLoginModel(CasTickets tickets, TimeProvider clock, IOptions<CasOptions> options) : PageModel
{
    [FromQuery(Name = "service")]
    public string? Service { get; set; }

    [FromQuery(Name = "renew")]
    public string? Renew { get; set; }

    [FromQuery(Name = "gateway")]
    public string? Gateway { get; set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    public string? AppName { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var app = await tickets.FindAppAsync(Service, ct);
        if (app is null)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Application inconnue",
                string.IsNullOrEmpty(Service)
                    ? "L'application qui vous a envoyé ici n'a pas indiqué son adresse. Retournez-y et réessayez, ou ouvrez-la depuis votre page d'accueil Préau."
                    : "Cette adresse n'est celle d'aucune application déclarée par la région : Préau ne vous y connectera pas. Ouvrez vos applications depuis votre page d'accueil Préau.");
        }
        AppName = app.Name;
        var service = Service!;
        // renew=true takes precedence over gateway=true (CAS 3.0, 2.1.1).
        var renew = IsTrue(Renew);
        if (User.Identity?.IsAuthenticated != true || (renew && !await SignedInRecentlyAsync()))
        {
            if (IsTrue(Gateway) && !renew)
            {
                return Redirect(service);
            }
            return Redirect("/connexion?ReturnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
        }
        if (User.GetRegionId() != app.RegionId || !CasTickets.Allows(app, User.GetProfile()))
        {
            return Refuse(StatusCodes.Status403Forbidden, "Accès refusé",
                $"« {app.Name} » n'est pas ouverte à votre profil. Si vous pensez que c'est une erreur, adressez-vous à votre établissement.");
        }
        var ticket = await tickets.IssueAsync(app, User.GetPersonId(), ServerSessionStore.Current(HttpContext) ?? "", service, ct);
        return Redirect(service + (service.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "ticket=" + Uri.EscapeDataString(ticket));
    }

    private async Task<bool> SignedInRecentlyAsync()
    {
        var auth = await HttpContext.AuthenticateAsync();
        return auth.Properties?.IssuedUtc is { } issued && clock.GetUtcNow() - issued < TimeSpan.FromSeconds(options.Value.RenewSeconds);
    }

    private static bool IsTrue(string? flag) => string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);

    private PageResult Refuse(int status, string title, string message)
    {
        Response.StatusCode = status;
        Title = title;
        Message = message;
        return Page();
    }
}
