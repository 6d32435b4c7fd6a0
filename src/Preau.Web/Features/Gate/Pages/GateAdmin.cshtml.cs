using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Gate;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Gate.Pages;

/// <summary>The gate, live, for the person on call for a region: what waits, what flows, and the
/// limits, changeable without a restart (applied on every node through the gate's store).</summary>
[Authorize(Policies.RegionAdmin)]
internal sealed class GateAdminModel(IPreauGate gate, GateLimits limits) : PageModel
{
    public GateOverview Overview { get; private set; } = null!;

    /// <summary>A stay in French: "3 min 05 s", "45 s".</summary>
    public static string Duration(double seconds)
    {
        var total = (int)Math.Round(seconds);
        return total < 60 ? $"{total} s" : $"{total / 60} min {total % 60:00} s";
    }

    [BindProperty]
    public LimitsForm Form { get; set; } = new();

    internal sealed class LimitsForm
    {
        public bool Enabled { get; set; }

        [Range(1, 10_000_000, ErrorMessage = "Le nombre d'utilisateurs actifs doit être compris entre 1 et 10 000 000.")]
        public int MaxActiveUsers { get; set; }

        [Range(0.1, 100_000, ErrorMessage = "Le débit d'admission doit être compris entre 0,1 et 100 000 par seconde.")]
        public double MaxAdmissionsPerSecond { get; set; }

        [Range(1, 24 * 60, ErrorMessage = "Le délai d'inactivité doit être compris entre 1 et 1 440 minutes.")]
        public int IdleMinutes { get; set; }
    }

    public async Task OnGetAsync()
    {
        var current = limits.Current;
        Form = new LimitsForm
        {
            Enabled = current.Enabled,
            MaxActiveUsers = current.MaxActiveUsers,
            MaxAdmissionsPerSecond = current.MaxAdmissionsPerSecond,
            IdleMinutes = (int)Math.Round(current.IdleTimeout.TotalMinutes),
        };
        Overview = await gate.GetOverviewAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Overview = await gate.GetOverviewAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        limits.Update(v => v with
        {
            Enabled = Form.Enabled,
            MaxActiveUsers = Form.MaxActiveUsers,
            MaxAdmissionsPerSecond = Form.MaxAdmissionsPerSecond,
            IdleTimeout = TimeSpan.FromMinutes(Form.IdleMinutes),
        });
        TempData["saved"] = "Limites enregistrées : elles s'appliquent sur tous les nœuds en quelques secondes, sans exclure personne.";
        return RedirectToPage();
    }

    public static string Eta(GateEta? eta) => eta is null ? "aucune" : $"{eta.Low / 60} à {Math.Max(1, (eta.High + 59) / 60)} min";

    private static readonly TimeZoneInfo s_paris = FindParis();

    /// <summary>Time of day in Paris, as the person on call reads it.</summary>
    public static string Time(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, s_paris).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static TimeZoneInfo FindParis()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
