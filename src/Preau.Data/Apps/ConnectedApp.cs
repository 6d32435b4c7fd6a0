namespace Preau.Data.Apps;

/// <summary>How a connected app trusts Préau.</summary>
public enum AppProtocol
{
    OpenIdConnect = 1,
    Cas = 2,
}

/// <summary>
/// An app the region declared (digital textbooks, the marks software, the distance-learning service): pupils
/// reach it from their home page and it trusts Préau through OpenID Connect or CAS. Only the region
/// administrator creates or changes one; nothing here comes from the app itself.
/// </summary>
public sealed class ConnectedApp
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RegionId { get; set; }

    /// <summary>What users read on their home page ("Manuels numériques").</summary>
    public required string Name { get; set; }

    public AppProtocol Protocol { get; set; }

    /// <summary>OpenID Connect <c>client_id</c>; for CAS a short unique name. Unique across the region.</summary>
    public required string ClientId { get; set; }

    /// <summary>Hash of a confidential client's secret (OpenID Connect), null for a public client (PKCE only).</summary>
    public string? ClientSecretHash { get; set; }

    /// <summary>Exact redirect URIs (OpenID Connect) or service URLs (CAS), one per line; matched exactly.</summary>
    public required string RedirectUris { get; set; }

    /// <summary>Where the app may send people back after signing out (OpenID Connect), one per line.</summary>
    public string? PostLogoutRedirectUris { get; set; }

    /// <summary>Where Préau tells the app a session ended (OpenID Connect back-channel logout URI, or the CAS
    /// single-logout callback; for CAS, null means the service URL the ticket was issued for).</summary>
    public string? LogoutUri { get; set; }

    /// <summary>Where the link on the home page opens the app.</summary>
    public required string LaunchUrl { get; set; }

    /// <summary>What the app receives besides the pseudonymous subject, space-separated names from
    /// <see cref="AppClaims"/>.</summary>
    public string ReleasedClaims { get; set; } = "";

    /// <summary>Profiles who may open the app, comma-separated <see cref="Directory.Profile"/> names.</summary>
    public required string AllowedProfiles { get; set; }

    /// <summary>A disabled app is not listed, and Préau refuses to sign anyone into it.</summary>
    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The names of what an app may be given (OpenID Connect scopes/claims and CAS attributes alike).</summary>
public static class AppClaims
{
    /// <summary>First and last name.</summary>
    public const string Name = "name";
    /// <summary>Pupil, parent, teacher… (<c>profil</c>).</summary>
    public const string Profile = "profile";
    /// <summary>The school's UAI.</summary>
    public const string School = "school";
    /// <summary>The classes and groups the person belongs to or teaches.</summary>
    public const string Classes = "classes";
    /// <summary>For a parent: their children's pseudonymous subjects for this app, names and classes.</summary>
    public const string Children = "children";
    /// <summary>The Préau login (only for apps that must match existing accounts).</summary>
    public const string Login = "login";

    public static readonly IReadOnlyList<string> All = [Name, Profile, School, Classes, Children, Login];
}
