using System.ComponentModel.DataAnnotations;

namespace Preau.Web.Features.Accounts.External;

/// <summary>What an external identity's claim is compared with to find the Préau account.</summary>
internal enum ExternalMatch
{
    /// <summary>The Préau login (lower-cased, as typed on the sign-in page).</summary>
    Login,

    /// <summary>The national pupil identifier (INE) from the school's SIECLE import.</summary>
    NationalId,
}

/// <summary>
/// Section <c>ExternalSignIn</c>: the region's academic OpenID Connect provider. Off while
/// <see cref="Authority"/> is empty.
/// </summary>
internal sealed class ExternalSignInOptions
{
    public const string Section = "ExternalSignIn";

    /// <summary>The provider's issuer URL; its discovery document is read from there.</summary>
    [MaxLength(300)]
    public string? Authority { get; set; }

    [MaxLength(200)]
    public string? ClientId { get; set; }

    [MaxLength(500)]
    public string? ClientSecret { get; set; }

    /// <summary>Shown on the button: "Se connecter avec {DisplayName}".</summary>
    [Required, MaxLength(100)]
    public string DisplayName { get; set; } = "mon compte académique";

    /// <summary>The claim of the provider's id_token (or userinfo) whose value finds the account.</summary>
    [Required, MaxLength(100)]
    public string MatchClaim { get; set; } = "preferred_username";

    public ExternalMatch MatchOn { get; set; } = ExternalMatch.Login;

    /// <summary>False: the password form is only kept for the region administrator's recovery.</summary>
    public bool AllowLocalPassword { get; set; } = true;

    /// <summary>Scopes asked besides <c>openid</c> (space-separated).</summary>
    [MaxLength(300)]
    public string Scopes { get; set; } = "profile";

    /// <summary>Only a test or a lab provider on plain HTTP sets this to false.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
