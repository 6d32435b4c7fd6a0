namespace Preau.Gate.Store;

/// <summary>A lane as the store sees it: share of MaxActive (0..1) and priority (lower first).</summary>
internal sealed record LaneRule(string Name, double Share, int Priority);

/// <summary>
/// The limits every admission decision is taken under; built from the live <see cref="GateLimits"/>.
/// <paramref name="StaleMs"/>: a numbered ticket unseen this long (two refreshes of the waiting page) stops
/// counting in positions and its call, if any, passes to the next person; 0 never forgets.
/// </summary>
internal sealed record AdmissionPolicy(
    IReadOnlyList<LaneRule> Lanes,
    int MaxActive,
    double InitialRate,
    double MinRate,
    double MaxRate,
    long IdleMs,
    long GraceMs,
    long FairStartMs,
    long StaleMs = 0);

/// <summary>A visitor asks to come in. <paramref name="AliasKey"/> is the device's anonymous key, bound to the account.</summary>
internal sealed record EnterCommand(string Key, string Lane, string? AliasKey, long NowMs, double DrawScore, AdmissionPolicy Policy);

internal enum EnterOutcome
{
    Admitted,
    Queued,
    Lobby,
}

/// <summary>
/// Ticket and lane are those the store holds (a bound anonymous ticket keeps its lane); Ticket 0 with Admitted means
/// "already in". <paramref name="FreePlaces"/>: with Lobby, the places free in the store at that instant (the monitor's
/// snapshot can be two seconds older: the draw often starts the moment the last place was taken); -1 otherwise.
/// <paramref name="Drawn"/>: with Lobby, the people in the draw at that instant, every lane's, this one included; -1 otherwise.
/// </summary>
internal sealed record EnterResult(EnterOutcome Outcome, string Lane, long Ticket, long Position, long LobbyEndsAtMs, long FreePlaces = -1, long Drawn = -1);

/// <summary><paramref name="Gone"/>: numbered tickets not yet called whose holders stopped polling.</summary>
internal sealed record LaneSnapshot(string Lane, long Counter, long Watermark, long Active, long Lobby, long Gone = 0)
{
    public long Waiting => Math.Max(0, Counter - Watermark - Gone) + Lobby;
}

/// <summary>
/// <paramref name="Departed"/>: places freed since the store began (sign-outs, idle expiries, lapsed calls).
/// <paramref name="Stays"/> and <paramref name="StayMs"/>: how many admitted places were given back (sign-outs,
/// idle expiries) and their total time held, from admission to sign-out or to the end of the idle timeout; a visitor
/// let in before signing in is held from their first page signed in (the time before is the sign-in's).
/// <paramref name="Held"/> and <paramref name="HeldMs"/>: the places held now (reservations left out) and the time
/// their holders have held them so far, stays not ended yet (censored): kept as a count and a sum of admission
/// times, so that the snapshot costs nothing per holder.
/// <paramref name="Ended"/>: the last stays ended (at most <see cref="GateSnapshot.EndedKept"/>), newest first.
/// <paramref name="Holders"/>: the places held now, all of them up to <see cref="GateSnapshot.HoldersSampled"/>,
/// else a random sample of that many. <paramref name="AtMs"/>: when the snapshot was taken.
/// </summary>
internal sealed record GateSnapshot(
    IReadOnlyList<LaneSnapshot> Lanes,
    double Rate,
    long CapacityEpoch,
    long Departed = 0,
    long Stays = 0,
    long StayMs = 0,
    long Held = 0,
    long HeldMs = 0,
    IReadOnlyList<EndedStay>? Ended = null,
    IReadOnlyList<HolderSample>? Holders = null,
    long AtMs = 0)
{
    /// <summary>Stays ended kept for the promise: the departure window of a busy morning, bounded.</summary>
    public const int EndedKept = 512;

    /// <summary>Holders read per snapshot: every one on a school's node, a sample of a region's.</summary>
    public const int HoldersSampled = 256;

    public long ActiveTotal => Lanes.Sum(l => l.Active);

    public long WaitingTotal => Lanes.Sum(l => l.Waiting);
}

/// <summary>
/// A place given back: when, after how long held, whether its holder had gone (idle expiry) rather than signed out,
/// and the lane it was held in (null: not known).
/// </summary>
internal readonly record struct EndedStay(long EndedMs, long DurationMs, bool Idle, string? Lane = null);

/// <summary>
/// A place held now: when it was taken, when it expires unless its holder comes back (last seen + idle timeout), and
/// its lane (null: not known).
/// </summary>
internal readonly record struct HolderSample(long AdmittedMs, long ExpiresMs, string? Lane = null);

internal enum RateSignal
{
    Increase,
    Decrease,
}

internal sealed record RateChange(double Rate, long CapacityEpoch);

/// <summary>One GCRA limit: <paramref name="PerSecond"/> sustained, <paramref name="Burst"/> at once.</summary>
internal sealed record LimitRule(string Key, double PerSecond, double Burst);

/// <summary>
/// Growing delays after failures: the failure that reaches <paramref name="Threshold"/> starts a wait of
/// <paramref name="FirstDelayMs"/>, and each later one doubles it, up to <paramref name="MaxDelayMs"/>.
/// A key with no failure for the current wait plus <paramref name="MaxDelayMs"/> is forgotten.
/// </summary>
internal sealed record ThrottleRule(int Threshold, long FirstDelayMs, long MaxDelayMs);

/// <summary>When refused, <paramref name="RefusedIndex"/> says which rule refused (0-based).</summary>
internal sealed record LimitDecision(bool Allowed, long RetryAfterMs, int RefusedIndex = -1);

/// <summary>
/// The gate's whole state. Every method is atomic: in-process under one lock, in Redis as one Lua script.
/// Times are passed in (milliseconds since the Unix epoch) so that tests drive them with a fake clock.
/// </summary>
internal interface IGateStore
{
    /// <summary>Pumps the queue, then admits, numbers or leaves the visitor waiting.</summary>
    Task<EnterResult> EnterAsync(EnterCommand command);

    /// <summary>Keeps an admitted user active, unconditionally: admitted users are never thrown out.</summary>
    Task TouchAsync(string key, string lane, string? aliasKey, long nowMs, AdmissionPolicy policy);

    /// <summary>Releases the user's place (logout); <paramref name="nowMs"/> ends its stay (0: not measured).</summary>
    Task ReleaseAsync(string key, AdmissionPolicy policy, long nowMs = 0);

    Task<GateSnapshot> SnapshotAsync(long nowMs, AdmissionPolicy policy);

    /// <summary>AIMD step on the shared admission rate. Increases are applied at most once per interval across nodes.</summary>
    Task<RateChange> AdjustRateAsync(RateSignal signal, long nowMs, long intervalMs, double step, double factor, AdmissionPolicy policy);

    /// <summary>Marks a drop of capacity decided by an operator, so that waiting pages may show a longer wait.</summary>
    Task BumpCapacityEpochAsync();

    /// <summary>Stores the live limits an operator set on one node, for every node to pick up.</summary>
    Task PublishLimitsAsync(string json);

    /// <summary>The live limits last published, or null.</summary>
    Task<string?> ReadLimitsAsync();

    /// <summary>GCRA, all or nothing: one permit from every rule, or none taken and the first refusal returned.</summary>
    Task<LimitDecision> AcquireAsync(IReadOnlyList<LimitRule> rules, long nowMs);

    /// <summary>Milliseconds still to wait on a failure throttle key (0: none).</summary>
    Task<long> ThrottleWaitAsync(string key, long nowMs);

    /// <summary>Counts one failure on the key; returns the wait it starts (0 while failures are still free).</summary>
    Task<long> ThrottleFailAsync(string key, ThrottleRule rule, long nowMs);

    /// <summary>Forgets the key's failures (after a success).</summary>
    Task ThrottleClearAsync(string key);
}

internal static class GateStoreExtensions
{
    public static Task<LimitDecision> AcquireAsync(this IGateStore store, string limitKey, double perSecond, double burst, long nowMs) =>
        store.AcquireAsync([new LimitRule(limitKey, perSecond, burst)], nowMs);
}

/// <summary>A place held, as a node re-publishes it to a Redis that lost it.</summary>
internal sealed record ActivePlace(string Key, string Lane, long ExpiresMs, long AdmittedMs);

/// <summary>
/// <paramref name="Nodes"/>: nodes that heartbeated within the alive window, this one included.
/// <paramref name="Generation"/>: changes when Redis lost the gate's state (restarted empty or flushed).
/// </summary>
internal sealed record NodeBeat(int Nodes, string Generation);

/// <summary>The store several nodes share (Redis): nodes heartbeat into it and rebuild it when it comes back empty.</summary>
internal interface ISharedGateStore : IGateStore
{
    /// <summary>False while the connection is down: callers go elsewhere instead of waiting for a reconnect.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Records this node as alive and counts the nodes seen within <paramref name="aliveMs"/>. A store found
    /// without its generation (it lost everything) gets a new one; if this node knew another
    /// (<paramref name="knownGeneration"/>), admissions are held for <paramref name="holdMs"/> while the nodes
    /// re-publish the places they hold, and arrivals meanwhile wait in the lobby, ordered by how long they had waited.
    /// </summary>
    Task<NodeBeat> HeartbeatAsync(string node, long nowMs, long aliveMs, long holdMs, string knownGeneration);

    /// <summary>Puts back places this node knows are held (kept if the store has a later expiry).</summary>
    Task RepublishAsync(IReadOnlyList<ActivePlace> places, long nowMs);
}
