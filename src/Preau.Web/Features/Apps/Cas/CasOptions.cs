using System.ComponentModel.DataAnnotations;

namespace Preau.Web.Features.Apps.Cas;

/// <summary>Préau as a CAS server (section <c>Cas</c>).</summary>
internal sealed class CasOptions
{
    public const string Section = "Cas";

    /// <summary>How long a service ticket waits for its app to validate it (the app does so at once).</summary>
    [Range(1, 300)]
    public int TicketSeconds { get; set; } = 10;

    /// <summary>With <c>renew=true</c>, a sign-in older than this is not enough: the person types their password again.</summary>
    [Range(10, 3600)]
    public int RenewSeconds { get; set; } = 120;

    /// <summary>How long Préau waits for an app to answer a single-logout request.</summary>
    [Range(1, 30)]
    public int LogoutTimeoutSeconds { get; set; } = 2;
}
