using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>
/// Two Préau hosts on one PostgreSQL database and one Redis, as two nodes of a region behind a load
/// balancer: same data directory (the shared directory a region requires), same Redis for the gate and
/// the cache invalidations (a prefix and a channel of their own, so tests run side by side).
/// A <see cref="Visitor"/> is one browser: one cookie jar, which it can present to either node.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(TestDatabase database, PreauAppFactory a, PreauAppFactory b, IReadOnlyDictionary<string, string?> settings)
    {
        Settings = settings;
        Database = database;
        A = a;
        B = b;
    }

    public TestDatabase Database { get; }

    /// <summary>The settings node A runs with (Redis, prefix, channel): a third node can join with them.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }
    public PreauAppFactory A { get; }
    public PreauAppFactory B { get; }

    /// <summary>The Redis that test.sh starts.</summary>
    public static string Redis =>
        Environment.GetEnvironmentVariable("PREAU_TEST_REDIS") is { Length: > 0 } value ? value : "127.0.0.1:56379";

    /// <summary>Starts both nodes. <paramref name="settingsB"/> overrides node B only (e.g. a dead Redis).</summary>
    public static TwoNodes Start(IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyDictionary<string, string?>? settingsB = null)
    {
        var database = TestDatabase.Create("Postgres");
        var unique = Guid.NewGuid().ToString("N")[..12];
        var shared = new Dictionary<string, string?>
        {
            ["Gate:Redis"] = Redis,
            ["Gate:RedisPrefix"] = "{test-" + unique + "}",
            ["Cluster:Channel"] = "preau:caches:" + unique,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            shared[key] = value;
        }

        var onB = new Dictionary<string, string?>(shared);
        foreach (var (key, value) in settingsB ?? new Dictionary<string, string?>())
        {
            onB[key] = value;
        }

        var a = new PreauAppFactory(database, shared);
        var b = new PreauAppFactory(database, onB);
        // A starts first and migrates; B then finds the schema in place.
        _ = a.Services;
        _ = b.Services;
        return new TwoNodes(database, a, b, shared);
    }

    /// <summary>A browser with one cookie jar, which can send its requests through either node.</summary>
    public Visitor NewVisitor() => new(this);

    /// <summary>Polls <paramref name="check"/> until it holds or a generous deadline passes (a busy
    /// two-core machine); returns whether it held. Asserts behaviour, never speed.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> check, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await check())
            {
                return true;
            }

            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Database.DisposeAsync();
    }

    public sealed class Visitor : IDisposable
    {
        private readonly CookieContainer _cookies = new();

        internal Visitor(TwoNodes nodes)
        {
            var options = new Uri("http://localhost");
            OnA = nodes.A.CreateDefaultClient(options, new CookieContainerHandler(_cookies));
            OnB = nodes.B.CreateDefaultClient(options, new CookieContainerHandler(_cookies));
        }

        public HttpClient OnA { get; }
        public HttpClient OnB { get; }

        public void Dispose()
        {
            OnA.Dispose();
            OnB.Dispose();
        }
    }
}
