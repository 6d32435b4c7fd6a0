using Preau.Data.Directory;

namespace Preau.Data.Accounts;

/// <summary>
/// A person's identity at an external identity provider (an academic OpenID Connect provider), linked
/// to their Préau account at their first sign-in through it. Later sign-ins find the person here by
/// the provider's subject, not by the matching claim again.
/// </summary>
public sealed class ExternalIdentity
{
    /// <summary>The provider's issuer, as validated in its tokens.</summary>
    public required string Provider { get; set; }

    /// <summary>The provider's <c>sub</c> for this person.</summary>
    public required string Subject { get; set; }

    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    public DateTimeOffset LinkedAt { get; set; }
}
