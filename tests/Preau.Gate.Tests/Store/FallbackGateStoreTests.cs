using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Store;
using StackExchange.Redis;

namespace Preau.Gate.Tests.Store;

public sealed class FallbackGateStoreTests
{
    private static readonly AdmissionPolicy Policy = new([new LaneRule("Pupil", 1, 1)], 4, 100, 100, 100, 1_200_000, 45_000, 0);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero));
    private readonly FlakyStore _shared = new();

    private FallbackGateStore Store(IGateStore? shared = null) =>
        new(shared ?? _shared, new InMemoryGateStore(), 0.5, TimeSpan.FromSeconds(5), _time, NullLogger<FallbackGateStore>.Instance);

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<int> AdmitManyAsync(FallbackGateStore store, int visitors)
    {
        var admitted = 0;
        for (var i = 0; i < visitors; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            var result = await store.EnterAsync(new EnterCommand($"v:{i}", "Pupil", null, Now, 0.5, Policy));
            admitted += result.Outcome == EnterOutcome.Admitted ? 1 : 0;
        }
        return admitted;
    }

    [Fact]
    public async Task EnterAsync_SharedStoreDown_KeepsServingWithLocalFractionOfLimits()
    {
        var store = Store();
        _shared.Down = true;

        var admitted = await AdmitManyAsync(store, 6);

        Assert.Equal(2, admitted); // half of MaxActive 4 on this node
        Assert.True(store.IsFallingBack);
    }

    [Fact]
    public async Task EnterAsync_SharedStoreBack_RejoinsAfterRetryInterval()
    {
        var store = Store();
        _shared.Down = true;
        await AdmitManyAsync(store, 1);
        _shared.Down = false;
        var callsWhileWaiting = _shared.Calls;

        await AdmitManyAsync(store, 1);
        Assert.Equal(callsWhileWaiting, _shared.Calls);
        _time.Advance(TimeSpan.FromSeconds(5));
        await AdmitManyAsync(store, 1);

        Assert.True(_shared.Calls > callsWhileWaiting);
        Assert.False(store.IsFallingBack);
    }

    [Fact]
    public async Task TouchAsync_AdmittedLocallyThenRejoined_UserIsRegisteredInSharedStore()
    {
        var store = Store();
        _shared.Down = true;
        await store.EnterAsync(new EnterCommand("a:1", "Pupil", null, Now, 0.5, Policy));
        _shared.Down = false;
        _time.Advance(TimeSpan.FromSeconds(6));

        await store.TouchAsync("a:1", "Pupil", null, Now, Policy);

        Assert.Equal(1, (await _shared.SnapshotAsync(Now, Policy)).ActiveTotal);
    }

    [Fact]
    public async Task EnterAsync_RealRedisUnreachable_KeepsServing()
    {
        var options = ConfigurationOptions.Parse("127.0.0.1:1");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 300;
        options.AsyncTimeout = 300;
        options.ConnectRetry = 0;
        using var unreachable = await ConnectionMultiplexer.ConnectAsync(options);
        var store = Store(new RedisGateStore(unreachable, TestRedis.NewPrefix()));

        var admitted = await AdmitManyAsync(store, 3);

        Assert.Equal(2, admitted);
        Assert.True(store.IsFallingBack);
    }

    [Fact]
    public async Task ThrottleFailAsync_SharedStoreDown_CountsOnThisNodeRatherThanNotAtAll()
    {
        var store = Store();
        var rule = new ThrottleRule(3, 60_000, 900_000);
        _shared.Down = true;

        var waits = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add(await store.ThrottleFailAsync("signin:x", rule, Now));
        }

        Assert.Equal([0, 0, 60_000], waits);
        Assert.Equal(60_000, await store.ThrottleWaitAsync("signin:x", Now));
        Assert.True(store.IsFallingBack);
    }

    /// <summary>An in-process store that fails like an unreachable Redis on demand.</summary>
    private sealed class FlakyStore : IGateStore
    {
        private readonly InMemoryGateStore _inner = new();

        public bool Down { get; set; }

        public int Calls { get; private set; }

        private T Check<T>(Func<T> call)
        {
            Calls++;
            return Down ? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "test: Redis is down") : call();
        }

        public Task<EnterResult> EnterAsync(EnterCommand command) => Check(() => _inner.EnterAsync(command));

        public Task TouchAsync(string key, string lane, string? aliasKey, long nowMs, AdmissionPolicy policy) => Check(() => _inner.TouchAsync(key, lane, aliasKey, nowMs, policy));

        public Task ReleaseAsync(string key, AdmissionPolicy policy, long nowMs = 0) => Check(() => _inner.ReleaseAsync(key, policy, nowMs));

        public Task<GateSnapshot> SnapshotAsync(long nowMs, AdmissionPolicy policy) => Check(() => _inner.SnapshotAsync(nowMs, policy));

        public Task<RateChange> AdjustRateAsync(RateSignal signal, long nowMs, long intervalMs, double step, double factor, AdmissionPolicy policy) =>
            Check(() => _inner.AdjustRateAsync(signal, nowMs, intervalMs, step, factor, policy));

        public Task BumpCapacityEpochAsync() => Check(_inner.BumpCapacityEpochAsync);

        public Task PublishLimitsAsync(string json) => Check(() => _inner.PublishLimitsAsync(json));

        public Task<string?> ReadLimitsAsync() => Check(_inner.ReadLimitsAsync);

        public Task<LimitDecision> AcquireAsync(IReadOnlyList<LimitRule> rules, long nowMs) => Check(() => _inner.AcquireAsync(rules, nowMs));

        public Task<long> ThrottleWaitAsync(string key, long nowMs) => Check(() => _inner.ThrottleWaitAsync(key, nowMs));

        public Task<long> ThrottleFailAsync(string key, ThrottleRule rule, long nowMs) => Check(() => _inner.ThrottleFailAsync(key, rule, nowMs));

        public Task ThrottleClearAsync(string key) => Check(() => _inner.ThrottleClearAsync(key));
    }
}
