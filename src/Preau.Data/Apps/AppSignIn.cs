namespace Preau.Data.Apps;

/// <summary>
/// One time Préau signed a session into a connected app (a CAS ticket validated, an OpenID Connect code
/// redeemed), kept so that ending the Préau session ends the app's session too where the protocol allows it.
/// </summary>
public sealed class AppSignIn
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AppId { get; set; }
    public ConnectedApp? App { get; set; }
    public Guid PersonId { get; set; }

    /// <summary>The <see cref="Accounts.ServerSession"/> it came from (no foreign key: the session row is
    /// deleted first, then the apps are told).</summary>
    public required string SessionId { get; set; }

    /// <summary>What the app knows this sign-in by: the CAS service ticket, or the OpenID Connect <c>sid</c>.</summary>
    public required string Reference { get; set; }

    /// <summary>For CAS, the service URL the ticket was issued for.</summary>
    public string? Service { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The stable pseudonymous identifier a connected app knows a person by: random, different for every app,
/// so two apps cannot match their users without Préau. Created the first time the person (or, for a parent,
/// their child) is presented to the app.
/// </summary>
public sealed class AppSubject
{
    public Guid AppId { get; set; }
    public Guid PersonId { get; set; }

    /// <summary>128 random bits, lower-case hex.</summary>
    public required string Subject { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
