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

    /// <summary>The queue as an operator sees it (from the monitor's recent snapshot, never more than a few seconds old).</summary>
    Task<GateOverview> GetOverviewAsync();
}

/// <summary>One lane of the queue, for an operator.</summary>
/// <param name="Lane">Lane name (Staff, Pupil, Parent…).</param>
/// <param name="Waiting">Users waiting.</param>
/// <param name="Active">Users admitted and active (or called).</param>
/// <param name="AdmissionsPerSecond">Admissions per second measured over the last minute.</param>
/// <param name="NewcomerEta">Wait a newcomer to this lane would be shown, null when nobody waits.</param>
public sealed record GateLaneOverview(string Lane, long Waiting, long Active, double AdmissionsPerSecond, GateEta? NewcomerEta);

/// <summary>The whole gate, for an operator.</summary>
/// <param name="Limits">Limits in force.</param>
/// <param name="AdmissionRate">Current adaptive admission rate (users per second).</param>
/// <param name="Lanes">Per-lane figures.</param>
public sealed record GateOverview(GateLimitValues Limits, double AdmissionRate, IReadOnlyList<GateLaneOverview> Lanes);
