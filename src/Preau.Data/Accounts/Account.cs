using Preau.Data.Directory;

namespace Preau.Data.Accounts;

/// <summary>The credentials of one person. Kept apart from <see cref="Person"/> so that directory
/// reads never load password hashes.</summary>
public sealed class Account
{
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    /// <summary>Lower-case, unique across the region.</summary>
    public required string Login { get; set; }

    /// <summary>PHC string (Argon2id), or an imported ASP.NET Identity V3 / bcrypt hash; null until activated.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>SHA-256 of the one-time activation code, hex; null once used.</summary>
    public string? ActivationCodeHash { get; set; }
    public DateTimeOffset? ActivationExpiresAt { get; set; }

    /// <summary>Changes whenever the password changes, so other sessions can be invalidated.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When a session last opened for this account (password, remembered device, academic provider), written
    /// with the session row.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}
