using System.ComponentModel.DataAnnotations;

namespace Preau.Web.Features.Apps.Oidc;

/// <summary>Section <c>Sso</c>: Préau as an OpenID Connect provider for the apps the region declared.</summary>
internal sealed class OidcOptions
{
    public const string Section = "Sso";

    /// <summary>A PKCS#12 file (.pfx) whose key signs and encrypts tokens (a region's own certificate, renewed by
    /// the region). Unset: Préau generates keys, stores them in the database and rotates them.</summary>
    public string? SigningCertificate { get; set; }

    public string? SigningCertificatePassword { get; set; }

    /// <summary>How long a generated key signs new tokens; the previous one stays published as long again.</summary>
    [Range(1, 3650)]
    public int KeyLifetimeDays { get; set; } = 90;

    /// <summary>The issuer apps see (<c>https://ent.example.fr/</c>). Unset: the address the request came to.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>How long an app waits for Préau to tell it a session ended is never the app's choice.</summary>
    [Range(1, 30)]
    public int BackChannelLogoutTimeoutSeconds { get; set; } = 2;
}
