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
    /// The wait still imposed on sign-ins to <paramref name="loginName"/> from this request's source address
    /// (an IPv6 address counts by its /64), or null. Shared by every node when the gate uses Redis.
    /// </summary>
    Task<TimeSpan?> SignInWaitAsync(HttpContext context, string loginName);

    /// <summary>Counts a failed sign-in of <paramref name="loginName"/> from this source; returns the wait it starts, if any.</summary>
    Task<TimeSpan?> SignInFailedAsync(HttpContext context, string loginName, SignInThrottle rule);

    /// <summary>A sign-in of <paramref name="loginName"/> from this source succeeded: its failures are forgotten.</summary>
    Task SignInSucceededAsync(HttpContext context, string loginName);

    /// <summary>429 with <c>Retry-After</c>, a French page for browsers and ProblemDetails for API calls.</summary>
    IResult TooManyRequests(HttpContext context, TimeSpan retryAfter);

    /// <summary>The queue as an operator sees it (from the monitor's recent snapshot, never more than a few seconds old).</summary>
    Task<GateOverview> GetOverviewAsync();
}

/// <summary>
/// Growing delays after failed sign-ins of one login from one source: the failure that reaches
/// <paramref name="Threshold"/> starts a wait of <paramref name="FirstDelay"/>, each later one doubles it up
/// to <paramref name="MaxDelay"/>. Per login AND source, so that a stranger slows only their own address.
/// </summary>
/// <param name="Threshold">Failures in a row before the first wait.</param>
/// <param name="FirstDelay">First wait.</param>
/// <param name="MaxDelay">Longest wait; failures are forgotten after a quiet period this long.</param>
public sealed record SignInThrottle(int Threshold, TimeSpan FirstDelay, TimeSpan MaxDelay);

/// <summary>One lane of the queue, for an operator.</summary>
/// <param name="Lane">Lane name.</param>
/// <param name="DisplayName">Name shown to operators.</param>
/// <param name="Waiting">Users waiting.</param>
/// <param name="Active">Users admitted and active (or called).</param>
/// <param name="AdmissionsPerSecond">Admissions per second measured over the last minute.</param>
/// <param name="NewcomerEta">Wait a newcomer to this lane would be shown, null when nobody waits.</param>
public sealed record GateLaneOverview(string Lane, string DisplayName, long Waiting, long Active, double AdmissionsPerSecond, GateEta? NewcomerEta);

/// <summary>The whole gate, for an operator.</summary>
/// <param name="Limits">Limits in force.</param>
/// <param name="AdmissionRate">Current adaptive admission rate (users per second).</param>
/// <param name="Lanes">Per-lane figures.</param>
/// <param name="DeparturesPerSecond">Places freed per second (sign-outs, idle expiries, lapsed calls), measured.</param>
/// <param name="Decisions">Last control decisions of this node, most recent first.</param>
/// <param name="Promises">Promise accuracy measured on this node.</param>
/// <param name="Stays">What the promise rests on while every place is taken; null until enough stays are measured.</param>
public sealed record GateOverview(
    GateLimitValues Limits,
    double AdmissionRate,
    IReadOnlyList<GateLaneOverview> Lanes,
    double DeparturesPerSecond,
    IReadOnlyList<GateControlDecision> Decisions,
    GatePromiseAccuracy Promises,
    GateStayFigures? Stays = null);

/// <summary>The stays the places-limited promise reads, for an operator.</summary>
/// <param name="MeanSignOutSeconds">Mean time a place is held by someone who signs out, seconds.</param>
/// <param name="WalkAwayShare">Share of holders measured to leave without signing out (their place frees at the idle timeout).</param>
/// <param name="Measured">Stays ended by a sign-out these figures rest on.</param>
public sealed record GateStayFigures(double MeanSignOutSeconds, double WalkAwayShare, int Measured);

/// <summary>One step of the admission controller, for operators.</summary>
/// <param name="At">When it was taken.</param>
/// <param name="Decision"><c>increase</c>, <c>decrease</c> or <c>hold</c>.</param>
/// <param name="Reason">Why, as a code: <c>latency</c>, <c>server-failures</c>, <c>thread-pool</c>, <c>healthy</c>,
/// <c>no-queue</c>, <c>too-few-samples</c>, <c>warm-up</c>, <c>idle</c>, <c>pacing</c> (the shared rate moved recently on another node).</param>
/// <param name="P95Milliseconds">p95 latency of the admitted requests of the interval.</param>
/// <param name="Samples">Admitted requests measured.</param>
/// <param name="ServerFailures">Requests that failed through the server's fault.</param>
/// <param name="InputFailures">5xx that came from a request's own input: seen, not counted.</param>
/// <param name="ThreadPoolQueue">Mean thread-pool work items waiting.</param>
/// <param name="RateBefore">Admission rate before, users per second.</param>
/// <param name="RateAfter">Admission rate after.</param>
public sealed record GateControlDecision(
    DateTimeOffset At,
    string Decision,
    string Reason,
    double P95Milliseconds,
    int Samples,
    int ServerFailures,
    int InputFailures,
    double ThreadPoolQueue,
    double RateBefore,
    double RateAfter);

/// <summary>A promise measured: the first range shown and the real wait.</summary>
/// <param name="AdmittedAt">When the visitor was let in.</param>
/// <param name="PromisedLow">Lower bound shown, seconds.</param>
/// <param name="PromisedHigh">Upper bound shown, seconds.</param>
/// <param name="ActualSeconds">Real wait from the first number shown (time under "en cours d'estimation" before it was never promised).</param>
/// <param name="Held">Whether the middle of the range was within ±25 % of the real wait.</param>
public sealed record GatePromise(DateTimeOffset AdmittedAt, int PromisedLow, int PromisedHigh, double ActualSeconds, bool Held);

/// <summary>Promise accuracy so far on this node.</summary>
/// <param name="Measured">Visitors admitted after waiting.</param>
/// <param name="Held">Of them, promises that held.</param>
/// <param name="Share">Held ÷ measured, null before the first.</param>
/// <param name="Recent">Most recent first.</param>
public sealed record GatePromiseAccuracy(long Measured, long Held, double? Share, IReadOnlyList<GatePromise> Recent);
