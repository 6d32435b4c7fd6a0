using Microsoft.AspNetCore.Http;

namespace Preau.Gate;

/// <summary>
/// The response header that marks every gate answer (queued, closed, held) as a wait rather than a
/// failure, so apps and load generators can tell "come back later" from an error.
/// </summary>
public static class GateSignals
{
    /// <summary>Name of the header.</summary>
    public const string Header = "Preau-Gate";

    /// <summary>Marks a response as held (for example a sign-in waiting for the password-hashing lane).</summary>
    public static void MarkHeld(HttpResponse response) => response.Headers[Header] = "held";
}
