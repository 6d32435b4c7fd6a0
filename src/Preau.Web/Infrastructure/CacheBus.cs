using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Preau.Web.Infrastructure;

/// <summary>Section <c>Cluster</c>: what the nodes of a region share besides the database.</summary>
internal sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>
    /// Redis connection string over which a node tells the others which cached data changed.
    /// Unset: <c>Gate:Redis</c> is used; both unset means a single node, with nobody to tell.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Pub/sub channel of the invalidations; one per region sharing a Redis.</summary>
    public string Channel { get; set; } = "preau:caches";
}

/// <summary>
/// A cache held in each node's memory whose entries another node can make stale. The database is
/// the truth: an entry is only a copy, forgotten whenever any node writes what it copied.
/// </summary>
internal interface ISharedCache
{
    /// <summary>Names this cache in the messages between nodes (no '|').</summary>
    string Kind { get; }

    /// <summary>Drops what depends on <paramref name="key"/>; null drops everything.</summary>
    void Forget(string? key);
}

/// <summary>
/// Tells every node of a region what changed, so that in-process caches stay right on N nodes.
/// A write forgets its entries here at once (the writer reads its own write), then publishes
/// "kind|key" on Redis; every other node forgets the same entries within the network's delay.
/// While this node is not subscribed (Redis down, not yet connected) it cannot hear the others,
/// so <see cref="CachesUsable"/> is false and every cache reads the database instead: slower,
/// never stale. When the subscription comes back the node forgets everything it held and asks
/// the others to do the same (writes made while it was cut off were never announced).
/// Without Redis configured there is one node: caches are always usable and nothing is sent.
/// </summary>
internal sealed class CacheBus : IHostedService, IDisposable
{
    private const string Everything = "*";
    private readonly IServiceProvider _services;
    private readonly ILogger<CacheBus> _log;
    private readonly ConnectionMultiplexer? _redis;
    private readonly RedisChannel _channel;
    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    private readonly Lock _gate = new();
    private Dictionary<string, ISharedCache>? _caches;
    private volatile bool _listening;
    private volatile bool _subscriptionDown;
    private bool _subscribed;

    public CacheBus(IServiceProvider services, IOptions<ClusterOptions> cluster, IConfiguration configuration, ILogger<CacheBus> log)
    {
        _services = services;
        _log = log;
        _channel = RedisChannel.Literal(cluster.Value.Channel);
        var redis = string.IsNullOrWhiteSpace(cluster.Value.Redis) ? configuration["Gate:Redis"] : cluster.Value.Redis;
        if (string.IsNullOrWhiteSpace(redis))
        {
            return;
        }

        var config = ConfigurationOptions.Parse(redis);
        config.AbortOnConnectFail = false; // a node starts and serves without Redis, from the database
        config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2000);
        config.AsyncTimeout = Math.Min(config.AsyncTimeout, 2000);
        config.SyncTimeout = Math.Min(config.SyncTimeout, 2000);
        config.ClientName = "preau-caches";
        _redis = ConnectionMultiplexer.Connect(config);
        _redis.ConnectionFailed += (_, e) => Deafened(e.ConnectionType, e.FailureType.ToString());
        _redis.ConnectionRestored += (_, e) => _ = HearAgainAsync(e.ConnectionType);
    }

    /// <summary>True when no other node can change what this node caches without it hearing so.</summary>
    public bool CachesUsable => _redis is null || _listening;

    /// <summary>The region's Redis, when this node is one of several (Redis configured).</summary>
    public IDatabase? Database => _redis?.GetDatabase();

    /// <summary>Forgets <paramref name="key"/> of <paramref name="kind"/> here at once, then on every other node.</summary>
    public void Publish(string kind, string? key)
    {
        Apply(kind, key);
        Send(kind, key);
    }

    async Task IHostedService.StartAsync(CancellationToken cancellationToken) => await SubscribeAsync();

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SubscribeAsync()
    {
        if (_redis is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_subscribed)
            {
                return;
            }

            _subscribed = true;
        }

        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => Receive(message));
            _listening = _redis.IsConnected;
            _log.LogInformation("Cache invalidations shared through Redis as node {Node}.", _node);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            lock (_gate)
            {
                _subscribed = false;
            }

            _log.LogWarning("Redis unreachable ({Error}): caches bypassed until it answers.", e.Message);
        }
    }

    private void Deafened(ConnectionType connection, string reason)
    {
        if (_listening)
        {
            _log.LogWarning("Redis {Connection} connection lost ({Reason}): caches bypassed until it is back.", connection, reason);
        }

        if (connection == ConnectionType.Subscription)
        {
            _subscriptionDown = true;
        }

        _listening = false;
    }

    private async Task HearAgainAsync(ConnectionType connection)
    {
        if (connection == ConnectionType.Subscription)
        {
            _subscriptionDown = false;
        }

        // Listening again needs the subscription itself back, not only the command connection.
        if (_redis is null || !_redis.IsConnected || _subscriptionDown)
        {
            return;
        }

        await SubscribeAsync();
        // Forget before listening again: anything cached may predate writes nobody could announce.
        Apply(Everything, null);
        Send(Everything, null);
        _listening = _redis.IsConnected;
        _log.LogInformation("Redis {Connection} connection back: caches flushed and shared again.", connection);
    }

    private void Send(string kind, string? key)
    {
        if (_redis is null)
        {
            return;
        }

        try
        {
            // Fire and forget: the write has committed; a lost message is covered by the flush that
            // follows any reconnection, and meanwhile a deaf node reads the database.
            _redis.GetSubscriber().Publish(_channel, $"{_node}|{kind}|{key}", CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _log.LogWarning("Invalidation {Kind} not sent ({Error}); the others flush when Redis is back.", kind, e.Message);
        }
    }

    private void Receive(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('|', 3);
        if (parts.Length != 3 || parts[0] == _node)
        {
            return;
        }

        Apply(parts[1], parts[2].Length == 0 ? null : parts[2]);
    }

    private void Apply(string kind, string? key)
    {
        _caches ??= _services.GetServices<ISharedCache>().ToDictionary(c => c.Kind);
        if (kind == Everything)
        {
            foreach (var cache in _caches.Values)
            {
                cache.Forget(null);
            }
        }
        else if (_caches.TryGetValue(kind, out var cache))
        {
            cache.Forget(key);
        }
    }

    public void Dispose() => _redis?.Dispose();
}

/// <summary>
/// What a version-keyed cache compares to know an entry is current: one version per id, bumped when
/// that id's data is written, and a generation bumped when everything must go (a flush).
/// </summary>
internal sealed class CacheVersions
{
    private readonly ConcurrentDictionary<Guid, long> _ids = new();
    private long _generation;

    public long Of(Guid id) => (Interlocked.Read(ref _generation) << 32) + (_ids.TryGetValue(id, out var v) ? v : 0);

    /// <summary>A Guid key bumps that id; null (or anything else) bumps the generation.</summary>
    public void Forget(string? key)
    {
        if (key is not null && Guid.TryParse(key, out var id))
        {
            _ids.AddOrUpdate(id, 1, (_, v) => v + 1);
        }
        else
        {
            Interlocked.Increment(ref _generation);
        }
    }
}

internal static class CacheBusSetup
{
    /// <summary>The invalidation bus between nodes; features register their caches as <see cref="ISharedCache"/>.</summary>
    public static WebApplicationBuilder AddPreauCacheBus(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section);
        builder.Services.AddSingleton<CacheBus>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CacheBus>());
        return builder;
    }

    /// <summary>Registers a singleton cache so that the bus can make it forget.</summary>
    public static IServiceCollection AddSharedCache<T>(this IServiceCollection services)
        where T : class, ISharedCache
    {
        services.AddSingleton<T>();
        services.AddSingleton<ISharedCache>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
