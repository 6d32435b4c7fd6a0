using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Preau.Gate.Store;

/// <summary>
/// Redis first; when Redis fails, this node serves from its own in-process store with its share of the
/// global limits: one over the number of nodes last seen alive (<see cref="HeartbeatAsync"/>), or
/// <c>fraction</c> if it never saw any. So that the places already held count, every place this node gives
/// or renews in Redis is mirrored in the local store; a node cut off thus admits only into what its share
/// leaves free. Requests never wait on Redis while it is down: the circuit stays open until a heartbeat
/// (a background loop, every <c>interval</c>) reaches it again, and the node then re-publishes the places it
/// holds. A Redis restarted empty is noticed by its new generation: admissions are held while every node
/// re-publishes, so the places it forgot are counted before anyone new comes in.
/// </summary>
internal sealed partial class FallbackGateStore(
    ISharedGateStore shared,
    InMemoryGateStore local,
    double fraction,
    TimeSpan interval,
    TimeProvider time,
    ILogger<FallbackGateStore> logger) : IGateStore
{
    /// <summary>A node unheard of for this many heartbeats no longer counts among the living.</summary>
    private const int AliveBeats = 5;

    /// <summary>Admissions held after a Redis restart, in heartbeats: every node beats, and re-publishes, within one.</summary>
    private const double HoldBeats = 2.5;

    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _beating = new(1, 1);
    private volatile bool _down;
    private int _nodes;
    private string _generation = "";

    /// <summary>True while this node is serving from its local store.</summary>
    public bool IsFallingBack => _down;

    /// <summary>Nodes seen alive at the last heartbeat that reached Redis (0: none yet).</summary>
    public int NodesSeen => Volatile.Read(ref _nodes);

    /// <summary>This node's share of the global limits while it is cut off.</summary>
    public double Share => NodesSeen > 0 ? 1.0 / NodesSeen : fraction;

    public async Task<EnterResult> EnterAsync(EnterCommand command)
    {
        if (await TrySharedAsync(s => s.EnterAsync(command)) is (true, var result))
        {
            if (result.Outcome == EnterOutcome.Admitted)
            {
                await local.TouchAsync(command.Key, result.Lane, command.AliasKey, command.NowMs, command.Policy);
            }
            return result;
        }
        return await local.EnterAsync(command with { Policy = Scale(command.Policy) });
    }

    public async Task TouchAsync(string key, string lane, string? aliasKey, long nowMs, AdmissionPolicy policy)
    {
        await TrySharedAsync(async s =>
        {
            await s.TouchAsync(key, lane, aliasKey, nowMs, policy);
            return true;
        });
        await local.TouchAsync(key, lane, aliasKey, nowMs, policy); // mirrored, or the place itself while cut off
    }

    public async Task ReleaseAsync(string key, AdmissionPolicy policy, long nowMs = 0)
    {
        await TrySharedAsync(async s =>
        {
            await s.ReleaseAsync(key, policy, nowMs);
            return true;
        });
        await local.ReleaseAsync(key, policy, nowMs);
    }

    public Task<GateSnapshot> SnapshotAsync(long nowMs, AdmissionPolicy policy) =>
        RunAsync(s => s.SnapshotAsync(nowMs, s == local ? Scale(policy) : policy));

    public Task<RateChange> AdjustRateAsync(RateSignal signal, long nowMs, long intervalMs, double step, double factor, AdmissionPolicy policy) =>
        RunAsync(s => s.AdjustRateAsync(signal, nowMs, intervalMs, step, factor, s == local ? Scale(policy) : policy));

    public Task BumpCapacityEpochAsync() =>
        RunAsync(async s =>
        {
            await s.BumpCapacityEpochAsync();
            return true;
        });

    public Task PublishLimitsAsync(string json) =>
        RunAsync(async s =>
        {
            await s.PublishLimitsAsync(json);
            return true;
        });

    public Task<string?> ReadLimitsAsync() => RunAsync(s => s.ReadLimitsAsync());

    public Task<LimitDecision> AcquireAsync(IReadOnlyList<LimitRule> rules, long nowMs) =>
        RunAsync(s => s.AcquireAsync(rules, nowMs));

    // While Redis is down, failures are counted on this node: slower to bite across nodes, never "no limit".
    public Task<long> ThrottleWaitAsync(string key, long nowMs) => RunAsync(s => s.ThrottleWaitAsync(key, nowMs));

    public Task<long> ThrottleFailAsync(string key, ThrottleRule rule, long nowMs) => RunAsync(s => s.ThrottleFailAsync(key, rule, nowMs));

    public Task ThrottleClearAsync(string key) =>
        RunAsync(async s =>
        {
            await s.ThrottleClearAsync(key);
            return true;
        });


    /// <summary>
    /// Tells Redis this node is alive and learns how many are; closes the circuit when Redis answers again,
    /// after putting back the places this node holds (all of them, if Redis came back empty).
    /// </summary>
    public async Task HeartbeatAsync()
    {
        if (!await _beating.WaitAsync(0))
        {
            return; // the previous beat is still running
        }
        try
        {
            if (!shared.IsConnected)
            {
                Open("not connected");
                return;
            }
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var beatMs = (long)interval.TotalMilliseconds;
            var beat = await shared.HeartbeatAsync(_node, now, AliveBeats * beatMs, (long)(HoldBeats * beatMs), _generation);
            var lost = _generation.Length > 0 && beat.Generation != _generation;
            if (_down || lost)
            {
                await shared.RepublishAsync(local.Places(now), now);
            }
            _generation = beat.Generation;
            // A Redis that came back empty knows only the nodes that beat since; until the others have, the
            // count seen before still stands (cut off again meanwhile, this node must not take every place).
            Volatile.Write(ref _nodes, lost ? Math.Max(beat.Nodes, NodesSeen) : beat.Nodes);
            if (lost)
            {
                LogRebuilt(logger);
            }
            if (_down)
            {
                _down = false;
                LogRejoined(logger);
            }
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Open(ex.Message);
        }
        finally
        {
            _beating.Release();
        }
    }

    private AdmissionPolicy Scale(AdmissionPolicy p)
    {
        var share = Share;
        return p with
        {
            // rounded down, never up to one: three nodes sharing two places must not admit three
            MaxActive = (int)Math.Floor(p.MaxActive * share),
            InitialRate = p.InitialRate * share,
            MinRate = p.MinRate * share,
            MaxRate = p.MaxRate * share,
        };
    }

    private async Task<T> RunAsync<T>(Func<IGateStore, Task<T>> operation) =>
        await TrySharedAsync(operation) is (true, var result) ? result : await operation(local);

    /// <summary>The shared store's answer; not answered when the circuit is open or Redis fails now (which opens it).</summary>
    private async Task<(bool Answered, T Result)> TrySharedAsync<T>(Func<IGateStore, Task<T>> operation)
    {
        if (_down)
        {
            return (false, default!);
        }
        if (!shared.IsConnected)
        {
            Open("not connected");
            return (false, default!);
        }
        try
        {
            return (true, await operation(shared));
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Open(ex.Message);
            return (false, default!);
        }
    }

    private void Open(string reason)
    {
        if (!_down)
        {
            _down = true;
            LogFallingBack(logger, reason, Share);
        }
    }

    private static bool IsUnreachable(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gate store unreachable, serving with {Share:P0} of the limits: {Reason}")]
    private static partial void LogFallingBack(ILogger logger, string reason, double share);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gate store reachable again, places re-published, shared queue resumed")]
    private static partial void LogRejoined(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gate store came back empty: admissions held while the nodes re-publish their places")]
    private static partial void LogRebuilt(ILogger logger);
}
