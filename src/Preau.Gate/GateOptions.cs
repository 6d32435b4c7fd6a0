using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;

namespace Preau.Gate;

/// <summary>Configuration section <c>Gate</c>. Defaults are the ones a regional deployment starts with.</summary>
public sealed class GateOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Gate";

    /// <summary>When false every request passes untouched (the middleware stays in the pipeline).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most users allowed to be active at once, across all nodes.</summary>
    [Range(1, 10_000_000)]
    public int MaxActiveUsers { get; set; } = 2000;

    /// <summary>Ceiling of the adaptive admission rate, in users per second.</summary>
    [Range(0.01, 100_000)]
    public double MaxAdmissionsPerSecond { get; set; } = 50;

    /// <summary>Floor of the adaptive admission rate: the queue always moves.</summary>
    [Range(0.01, 100_000)]
    public double MinAdmissionsPerSecond { get; set; } = 1;

    /// <summary>Rate the gate starts with before it has measured anything.</summary>
    [Range(0.01, 100_000)]
    public double InitialAdmissionsPerSecond { get; set; } = 10;

    /// <summary>A user stays active while making requests within this window.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Target 95th percentile latency of admitted requests.</summary>
    public TimeSpan LatencyTarget { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often the admission rate is re-evaluated.</summary>
    public TimeSpan ControlInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Additive increase, in users per second, per control interval without trouble.</summary>
    [Range(0.01, 10_000)]
    public double RateIncreaseStep { get; set; } = 2;

    /// <summary>Multiplicative decrease factor applied when latency or errors exceed the target.</summary>
    [Range(0.05, 0.95)]
    public double RateDecreaseFactor { get; set; } = 0.5;

    /// <summary>Fewest samples in a control interval before the rate may rise.</summary>
    [Range(1, 100_000)]
    public int MinSamplesToIncrease { get; set; } = 20;

    /// <summary>Time a user called from the queue has to come back and claim the place: short, so that
    /// people who stopped polling give their call back quickly (the waiting page polls every few seconds).</summary>
    public TimeSpan ClaimGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>After start, the controller only watches: first requests (JIT, cold caches) are slow for no load reason.</summary>
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fewest samples in a control interval before a latency p95 may cut the rate (a handful of slow requests is noise).</summary>
    [Range(1, 100_000)]
    public int MinSamplesToDecrease { get; set; } = 10;

    /// <summary>Thread-pool work items waiting (mean over an interval) above which the node counts as saturated.</summary>
    [Range(1, 10_000_000)]
    public int ThreadPoolQueueLimit { get; set; } = 200;

    /// <summary>How far back departures (sign-outs, idle expiries, lapsed calls) are measured for the promise.</summary>
    public TimeSpan DepartureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Arrivals in this window after queuing starts are shuffled before being numbered. Zero disables.</summary>
    public TimeSpan FairStartWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Seconds between automatic refreshes of the waiting page.</summary>
    [Range(2, 600)]
    public int RefreshSeconds { get; set; } = 10;

    /// <summary>Lane of visitors who are not signed in; unset, the lane served last (highest priority number).</summary>
    public string AnonymousLane { get; set; } = "";

    /// <summary>Lanes: reserved share (percent), priority (lower first) and the profiles they serve.
    /// None configured: one lane, <c>default</c>, for everyone. The host supplies its own.</summary>
    public Dictionary<string, GateLaneOptions> Lanes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Routes of the gate's own endpoints, chosen by the host.</summary>
    public GateRoutes Routes { get; set; } = new();

    /// <summary>Everything the gate says to people; the host supplies its own wording.</summary>
    public GateTexts Texts { get; set; } = new();

    /// <summary>Name of the header carrying the signed ticket for apps that do not keep cookies.</summary>
    public string TicketHeader { get; set; } = "X-Gate-Ticket";

    /// <summary>Optional per-profile closing windows during a surge.</summary>
    public List<GateWindowOptions> Windows { get; set; } = [];

    /// <summary>Extra path prefixes never gated (health, static files and the gate's own endpoints always are).</summary>
    public List<string> BypassPaths { get; set; } = [];

    /// <summary>Path prefixes of sign-in and account flows that end in a password (sign-in, activation, password
    /// change or reset): never queued (the host's login lane holds them) and their POSTs rate limited more strictly.</summary>
    public List<string> SignInPaths { get; set; } = [];

    /// <summary>Abuse limits.</summary>
    public GateAbuseOptions Limits { get; set; } = new();

    /// <summary>Redis connection string; when set, the gate's state is shared through Redis.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key (a hash tag keeps them in one cluster slot).</summary>
    public string RedisPrefix { get; set; } = "preau:gate";

    /// <summary>
    /// While Redis is unreachable each node applies one over the number of nodes last seen alive of the global
    /// limits; this fraction only when it never reached Redis and so does not know how many nodes there are.
    /// </summary>
    [Range(0.01, 1)]
    public double FallbackFraction { get; set; } = 0.5;

    /// <summary>How often a node heartbeats into Redis (counting the nodes alive) and, while cut off, tries it again.</summary>
    public TimeSpan RedisRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Base64 key (32 bytes or more) that signs tickets. Unset: shared through Redis, or random per process.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Name of the ticket cookie.</summary>
    public string CookieName { get; set; } = "gate";

    /// <summary>Set by the host: who is signing in (id and profile name), or null for a visitor.</summary>
    public Func<HttpContext, GateUser?> ResolveUser { get; set; } = static _ => null;

    /// <summary>Set by the host: requests let through without admission while queued (essential mode).</summary>
    public Func<HttpContext, bool> IsEssential { get; set; } = static _ => false;

    /// <summary>Set by the host: links offered on the waiting page to signed-in visitors, to pages that
    /// <see cref="IsEssential"/> lets through ("your homework this week"), so that nobody waits with nothing.</summary>
    public List<GateLink> EssentialLinks { get; set; } = [];

    /// <summary>
    /// Set by the host: whether a failed request was the server's fault (overload, timeout, database unreachable)
    /// rather than its own input's. Only those lower the admission rate. The exception is null when the request
    /// completed with a status code. Default: <see cref="GateFailures.IsServerFailure"/>.
    /// </summary>
    public Func<HttpContext, Exception?, bool> IsServerFailure { get; set; } = GateFailures.IsServerFailure;

    internal void ApplyDefaults()
    {
        if (Lanes.Count == 0)
        {
            Lanes["default"] = new GateLaneOptions { Share = 100, Priority = 0 };
        }
        if (string.IsNullOrEmpty(AnonymousLane))
        {
            AnonymousLane = Lanes.OrderByDescending(l => l.Value.Priority).ThenByDescending(l => l.Value.Share).First().Key;
        }
    }
}

/// <summary>A link shown on the waiting page.</summary>
/// <param name="Text">French label.</param>
/// <param name="Href">Local path.</param>
/// <param name="Profiles">The profiles (<see cref="GateUser.Profile"/>) it is shown to; null: every signed-in visitor.</param>
public sealed record GateLink(string Text, string Href, IReadOnlyList<string>? Profiles = null);

/// <summary>One lane of the queue.</summary>
public sealed class GateLaneOptions
{
    /// <summary>Reserved share of <see cref="GateOptions.MaxActiveUsers"/>, in percent; unused share flows to others.</summary>
    [Range(0, 100)]
    public double Share { get; set; }

    /// <summary>Lanes with a lower number are always served first (teachers before parents).</summary>
    public int Priority { get; set; } = 1;

    /// <summary>Profile names served by this lane.</summary>
    public List<string> Profiles { get; set; } = [];

    /// <summary>Name shown to operators (the lane's key when unset).</summary>
    public string? DisplayName { get; set; }
}

/// <summary>Where the host mounts the gate's endpoints.</summary>
public sealed class GateRoutes
{
    /// <summary>JSON status of the caller's place.</summary>
    public string Status { get; set; } = "/gate/status";

    /// <summary>The waiting page, for links and redirects.</summary>
    public string Waiting { get; set; } = "/gate/waiting";

    /// <summary>Public page saying whether the service is open, queuing or closed.</summary>
    public string PublicStatus { get; set; } = "/gate";
}

/// <summary>A window during which a profile is closed, for example parents 8:00–10:00 during a surge.</summary>
public sealed class GateWindowOptions
{
    /// <summary>Profile name, as given by <see cref="GateOptions.ResolveUser"/>.</summary>
    [Required]
    public string Profile { get; set; } = "";

    /// <summary>Local time of day when the profile closes.</summary>
    public TimeOnly From { get; set; }

    /// <summary>Local time of day when the profile reopens.</summary>
    public TimeOnly To { get; set; }

    /// <summary>When true the window applies only while a queue exists.</summary>
    public bool OnlyDuringSurge { get; set; } = true;

    /// <summary>French explanation shown to the closed profile.</summary>
    public string? Message { get; set; }

    /// <summary>IANA time zone of <see cref="From"/> and <see cref="To"/>.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";
}

/// <summary>Per-account and per-address limits (GCRA). 500 pupils behind one school address must all get in.</summary>
public sealed class GateAbuseOptions
{
    /// <summary>Requests per second for one account (or one visitor ticket).</summary>
    public GateRateOptions PerAccount { get; set; } = new() { PermitsPerSecond = 20, Burst = 100 };

    /// <summary>Backstop ceiling for one IP address: high, since whole schools share one.</summary>
    public GateRateOptions PerIp { get; set; } = new() { PermitsPerSecond = 500, Burst = 3000 };

    /// <summary>New visitors (no ticket yet, not signed in) per IP address: bounds how fast one address can mint tickets.</summary>
    public GateRateOptions NewVisitorsPerIp { get; set; } = new() { PermitsPerSecond = 20, Burst = 1000 };

    /// <summary>Sign-in attempts for one IP address.</summary>
    public GateRateOptions SignInPerIp { get; set; } = new() { PermitsPerSecond = 20, Burst = 600 };
}

/// <summary>A GCRA limit: a sustained rate and a burst.</summary>
public sealed class GateRateOptions
{
    /// <summary>Sustained permits per second.</summary>
    [Range(0.001, 1_000_000)]
    public double PermitsPerSecond { get; set; } = 1;

    /// <summary>Permits that may be used at once.</summary>
    [Range(1, 10_000_000)]
    public double Burst { get; set; } = 1;
}
