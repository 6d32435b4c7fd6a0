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

    private FallbackGateStore Store(ISharedGateStore? shared = null) =>
        new(shared ?? _shared, new InMemoryGateStore(), 0.5, TimeSpan.FromSeconds(2), _time, NullLogger<FallbackGateStore>.Instance);

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<int> AdmitManyAsync(FallbackGateStore store, int visitors, string prefix = "v", AdmissionPolicy? policy = null)
    {
        var admitted = 0;
        for (var i = 0; i < visitors; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            var result = await store.EnterAsync(new EnterCommand($"{prefix}:{i}", "Pupil", null, Now, 0.5, policy ?? Policy));
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
    public async Task EnterAsync_SharedStoreBack_RequestsStayLocalUntilAHeartbeatReachesIt()
    {
        var store = Store();
        _shared.Down = true;
        await AdmitManyAsync(store, 1);
        _shared.Down = false;
        var callsWhileWaiting = _shared.Calls;

        await AdmitManyAsync(store, 3, "w");
        Assert.Equal(callsWhileWaiting, _shared.Calls); // no request probes Redis, so none waits on a reconnect
        await store.HeartbeatAsync();
        await AdmitManyAsync(store, 1, "x");

        Assert.True(_shared.Calls > callsWhileWaiting);
        Assert.False(store.IsFallingBack);
    }

    [Fact]
    public async Task EnterAsync_SharedStoreDisconnected_NeverCallsIt()
    {
        var store = Store();
        _shared.Down = true;

        await AdmitManyAsync(store, 5);
        await store.TouchAsync("a:1", "Pupil", null, Now, Policy);
        await store.SnapshotAsync(Now, Policy);

        Assert.Equal(0, _shared.Calls);
        Assert.True(store.IsFallingBack);
    }

    [Fact]
    public async Task HeartbeatAsync_AdmittedLocallyThenRejoined_PlaceIsRepublishedInSharedStore()
    {
        var store = Store();
        _shared.Down = true;
        await store.EnterAsync(new EnterCommand("a:1", "Pupil", null, Now, 0.5, Policy));
        _shared.Down = false;
        _time.Advance(TimeSpan.FromSeconds(2));

        await store.HeartbeatAsync();

        Assert.Equal(1, (await _shared.SnapshotAsync(Now, Policy)).ActiveTotal);
    }

    [Fact]
    public async Task EnterAsync_ThreeNodesCutOff_TotalAdmittedNeverExceedsMaxActive()
    {
        var policy = Policy with { MaxActive = 6 };
        var nodes = new[] { Store(), Store(), Store() };
        await BeatAsync(nodes);
        var before = await AdmitManyAsync(nodes[0], 2, "before", policy); // places held through node 0, in Redis
        _shared.Down = true;

        var during = 0;
        for (var n = 0; n < nodes.Length; n++)
        {
            during += await AdmitManyAsync(nodes[n], 10, $"n{n}", policy);
        }

        Assert.Equal(2, before);
        Assert.Equal(3, nodes[0].NodesSeen);
        Assert.Equal(6, before + during); // node 0 counts the two it holds: 0 + 2 + 2 new, not 2 + 3 × 3
    }

    [Fact]
    public async Task EnterAsync_ThreeNodesCutOffTwoPlaces_AdmitsNobodyRatherThanThree()
    {
        var policy = Policy with { MaxActive = 2 };
        var nodes = new[] { Store(), Store(), Store() };
        await BeatAsync(nodes);
        _shared.Down = true;

        var admitted = 0;
        foreach (var node in nodes)
        {
            admitted += await AdmitManyAsync(node, 3, "v", policy);
        }

        Assert.Equal(0, admitted);
    }

    [Fact]
    public async Task EnterAsync_NodeNeverReachedRedis_UsesConfiguredFraction()
    {
        var store = Store();
        _shared.Down = true;
        await store.HeartbeatAsync();

        var admitted = await AdmitManyAsync(store, 6);

        Assert.Equal(0, store.NodesSeen);
        Assert.Equal(2, admitted);
    }

    [Fact]
    public async Task HeartbeatAsync_RedisBackEmptyThenDownAgain_KeepsTheNodeCountSeenBefore()
    {
        var policy = Policy with { MaxActive = 6 };
        var nodes = new[] { Store(), Store(), Store() };
        await BeatAsync(nodes);
        _shared.RestartEmpty();

        await nodes[0].HeartbeatAsync(); // the only node Redis knows of yet
        _shared.Down = true;
        var admitted = await AdmitManyAsync(nodes[0], 10, "v", policy);

        Assert.Equal(3, nodes[0].NodesSeen);
        Assert.Equal(2, admitted);
    }

    [Fact]
    public async Task HeartbeatAsync_NodeStopsBeating_IsNoLongerCounted()
    {
        var alive = Store();
        var killed = Store();
        await BeatAsync(alive, killed);
        Assert.Equal(2, alive.NodesSeen);

        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            await alive.HeartbeatAsync();
        }

        Assert.Equal(1, alive.NodesSeen);
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

    [Fact]
    public async Task HeartbeatAsync_RedisRestartedEmpty_HoldsAdmissionsUntilPlacesAreRepublished()
    {
        var prefix = TestRedis.NewPrefix();
        var policy = Policy with { MaxActive = 2 };
        var nodeA = Store(new RedisGateStore(TestRedis.Connection, prefix, guarded: true));
        var nodeB = Store(new RedisGateStore(TestRedis.Connection, prefix, guarded: true));
        await nodeA.HeartbeatAsync();
        await nodeB.HeartbeatAsync();
        Assert.Equal(EnterOutcome.Admitted, (await nodeA.EnterAsync(new EnterCommand("a:1", "Pupil", null, Now, 0.5, policy))).Outcome);
        Assert.Equal(EnterOutcome.Admitted, (await nodeB.EnterAsync(new EnterCommand("a:2", "Pupil", null, Now, 0.5, policy))).Outcome);
        Assert.Equal(EnterOutcome.Queued, (await nodeA.EnterAsync(new EnterCommand("a:3", "Pupil", null, Now, 0.5, policy))).Outcome);

        await ForgetEverythingAsync(prefix); // what a Redis restarted without persistence remembers
        var beforeAnyBeat = await nodeA.EnterAsync(new EnterCommand("a:4", "Pupil", null, Now, 0.5, policy));
        await nodeA.HeartbeatAsync();
        var newcomer = await nodeB.EnterAsync(new EnterCommand("a:5", "Pupil", null, Now, 0.3, policy));
        var formerlyQueued = await nodeA.EnterAsync(new EnterCommand("a:3", "Pupil", null, Now, -0.8, policy));
        await nodeB.HeartbeatAsync();
        _time.Advance(TimeSpan.FromSeconds(6));
        var after = new List<EnterResult>();
        foreach (var key in new[] { "a:3", "a:5", "a:6" })
        {
            after.Add(await nodeB.EnterAsync(new EnterCommand(key, "Pupil", null, Now, 0.5, policy)));
        }

        Assert.Equal(EnterOutcome.Queued, beforeAnyBeat.Outcome);
        Assert.Equal(EnterOutcome.Lobby, newcomer.Outcome);
        Assert.Equal(EnterOutcome.Lobby, formerlyQueued.Outcome);
        Assert.All(after, r => Assert.Equal(EnterOutcome.Queued, r.Outcome)); // the two places are still held
        Assert.Equal(2, (await nodeA.SnapshotAsync(Now, policy)).ActiveTotal);
        Assert.True(after[0].Position < after[1].Position); // who had waited goes before the newcomer

        await nodeA.ReleaseAsync("a:1", policy, Now);
        _time.Advance(TimeSpan.FromSeconds(1));
        var admittedNow = 0;
        foreach (var key in new[] { "a:3", "a:4", "a:5", "a:6" })
        {
            admittedNow += (await nodeA.EnterAsync(new EnterCommand(key, "Pupil", null, Now, 0.5, policy))).Outcome == EnterOutcome.Admitted ? 1 : 0;
        }
        Assert.Equal(1, admittedNow);
    }

    [Fact]
    public async Task HeartbeatAsync_RedisRestartedEmpty_TimeHeldSoFarIsRepublished()
    {
        var prefix = TestRedis.NewPrefix();
        var node = Store(new RedisGateStore(TestRedis.Connection, prefix, guarded: true));
        await node.HeartbeatAsync();
        await node.EnterAsync(new EnterCommand("a:1", "Pupil", null, Now, 0.5, Policy));
        _time.Advance(TimeSpan.FromSeconds(30));
        await node.EnterAsync(new EnterCommand("a:2", "Pupil", null, Now, 0.5, Policy));
        _time.Advance(TimeSpan.FromSeconds(10));
        var before = await node.SnapshotAsync(Now, Policy);

        await ForgetEverythingAsync(prefix); // what a Redis restarted without persistence remembers
        await node.HeartbeatAsync();
        var after = await node.SnapshotAsync(Now, Policy);

        Assert.Equal((2L, 50_000L), (before.Held, before.HeldMs));
        Assert.Equal((2L, 50_000L), (after.Held, after.HeldMs));
    }

    /// <summary>Two rounds: each node then knows of all the others.</summary>
    private static async Task BeatAsync(params FallbackGateStore[] nodes)
    {
        foreach (var node in nodes.Concat(nodes))
        {
            await node.HeartbeatAsync();
        }
    }

    private static async Task ForgetEverythingAsync(string prefix)
    {
        var server = TestRedis.Connection.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: "{" + prefix + "}*"))
        {
            await TestRedis.Connection.GetDatabase().KeyDeleteAsync(key);
        }
    }

    /// <summary>An in-process store that fails like an unreachable Redis on demand.</summary>
    private sealed class FlakyStore : ISharedGateStore
    {
        private readonly InMemoryGateStore _inner = new();
        private readonly Dictionary<string, long> _beats = [];

        public bool Down { get; set; }

        private string _generation = "g1";

        public bool IsConnected => !Down;

        /// <summary>What a Redis without persistence remembers after a restart: nothing.</summary>
        public void RestartEmpty()
        {
            _beats.Clear();
            _generation = "g2";
        }

        public Task<NodeBeat> HeartbeatAsync(string node, long nowMs, long aliveMs, long holdMs, string knownGeneration) => Check(() =>
        {
            _beats[node] = nowMs;
            return Task.FromResult(new NodeBeat(_beats.Values.Count(at => at > nowMs - aliveMs), _generation));
        });

        public Task RepublishAsync(IReadOnlyList<ActivePlace> places, long nowMs) => Check(async () =>
        {
            foreach (var place in places)
            {
                await _inner.TouchAsync(place.Key, place.Lane, null, nowMs, Policy);
            }
        });

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
