using Preau.Data.Directory;

namespace Preau.Data.Accounts;

/// <summary>
/// A signed-in session kept on the server: the cookie carries only its key, so signing out,
/// "sign out everywhere" or a password change end it at once, on every node.
/// </summary>
public sealed class ServerSession
{
    /// <summary>256 random bits, hex; the cookie holds it data-protected.</summary>
    public required string Id { get; set; }

    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    /// <summary>The authentication ticket, serialized.</summary>
    public required byte[] Ticket { get; set; }

    /// <summary>What the person reads in the list of sessions ("Firefox sur Android").</summary>
    public required string Label { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
