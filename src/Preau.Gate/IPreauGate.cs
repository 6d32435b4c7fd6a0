using Microsoft.AspNetCore.Http;

namespace Preau.Gate;

/// <summary>What the host calls on the gate, beyond the middleware.</summary>
public interface IPreauGate
{
    /// <summary>Where this request's visitor stands; enters the queue if needed (same as the status endpoint).</summary>
    Task<GateStatus> GetStatusAsync(HttpContext context);

    /// <summary>Call on logout: frees the user's place (account and device) at once instead of after the idle window.</summary>
    Task ReleaseAsync(HttpContext context);

    /// <summary>
    /// Login lane: holds a request (e.g. a sign-in while the password-hashing lane is full) with 503,
    /// <c>Retry-After</c> and a French waiting page that comes back to <paramref name="returnUrl"/> (JSON for API calls).
    /// </summary>
    IResult Hold(HttpContext context, TimeSpan retryAfter, string? message = null, string? returnUrl = null);

    /// <summary>
    /// Counts one sign-in attempt for a login name (before checking the password). Returns the wait to impose,
    /// or null when the attempt may go on; on a wait, answer with <see cref="TooManyRequests"/>.
    /// </summary>
    Task<TimeSpan?> CheckSignInAsync(string loginName);

    /// <summary>429 with <c>Retry-After</c>, a French page for browsers and ProblemDetails for API calls.</summary>
    IResult TooManyRequests(HttpContext context, TimeSpan retryAfter);
}
