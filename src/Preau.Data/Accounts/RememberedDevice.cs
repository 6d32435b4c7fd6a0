using Preau.Data.Directory;

namespace Preau.Data.Accounts;

/// <summary>
/// A device (browser) that may open a new session for its person without a password hash. Its
/// credential is <c>Id.secret</c> in a cookie: the id finds the row, the secret (32 random bytes) is
/// stored only as its SHA-256 and replaced at every use.
/// </summary>
public sealed class RememberedDevice
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    /// <summary>SHA-256 of the current secret, hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>The account's security stamp when the device was remembered: a password change
    /// (or reset) changes the stamp and so forgets every device.</summary>
    public required string SecurityStamp { get; set; }

    /// <summary>What the person reads on the account page ("Firefox sur Android").</summary>
    public required string Label { get; set; }

    /// <summary>When the password sign-in remembered it; the region's maximum age counts from here.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastUsedAt { get; set; }
}
