using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Preau.Gate.Store;

/// <summary>
/// Redis first; when Redis fails, this node serves from its own in-process store with a fraction of the
/// global limits, and tries Redis again after a pause. Admitted users are not lost on the way back: their
/// signed ticket says they were admitted, and the next touch re-registers them in Redis.
/// </summary>
internal sealed partial class FallbackGateStore(
    IGateStore shared,
    InMemoryGateStore local,
    double fraction,
    TimeSpan retryInterval,
    TimeProvider time,
    ILogger<FallbackGateStore> logger) : IGateStore
{
    private long _downUntil = long.MinValue;

    /// <summary>True while this node is serving from its local store.</summary>
    public bool IsFallingBack => time.GetUtcNow().ToUnixTimeMilliseconds() < Volatile.Read(ref _downUntil);

    public Task<EnterResult> EnterAsync(EnterCommand command) =>
        RunAsync(s => s.EnterAsync(s == local ? command with { Policy = Scale(command.Policy) } : command));

    public Task TouchAsync(string key, string lane, string? aliasKey, long nowMs, AdmissionPolicy policy) =>
        RunAsync(async s =>
        {
            await s.TouchAsync(key, lane, aliasKey, nowMs, policy);
            return true;
        });

    public Task ReleaseAsync(string key, AdmissionPolicy policy, long nowMs = 0) =>
        RunAsync(async s =>
        {
            await s.ReleaseAsync(key, policy, nowMs);
            return true;
        });

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

    private AdmissionPolicy Scale(AdmissionPolicy p) => p with
    {
        MaxActive = Math.Max(1, (int)Math.Floor(p.MaxActive * fraction)),
        InitialRate = p.InitialRate * fraction,
        MinRate = p.MinRate * fraction,
        MaxRate = p.MaxRate * fraction,
    };

    private async Task<T> RunAsync<T>(Func<IGateStore, Task<T>> operation)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now >= Volatile.Read(ref _downUntil))
        {
            try
            {
                var result = await operation(shared);
                if (Interlocked.Exchange(ref _downUntil, long.MinValue) != long.MinValue)
                {
                    LogRejoined(logger);
                }
                return result;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                Volatile.Write(ref _downUntil, now + (long)retryInterval.TotalMilliseconds);
                LogFallingBack(logger, ex.Message);
            }
        }
        return await operation(local);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gate store unreachable, serving with local limits: {Reason}")]
    private static partial void LogFallingBack(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gate store reachable again, shared queue resumed")]
    private static partial void LogRejoined(ILogger logger);
}
