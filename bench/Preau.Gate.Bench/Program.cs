// The gate's memory, measured: 1,000,000 people waiting in the in-process store and in Redis, and what
// 100,000 cookie-less requests (a flood) leave behind in each.
// Usage: dotnet run -c Release --project bench/Preau.Gate.Bench -- [waiting=1000000] [flood=100000] [redis=127.0.0.1:6379]
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Preau.Gate;
using Preau.Gate.Store;
using StackExchange.Redis;

internal static class GateBench
{
    public static async Task Main(string[] args)
    {
        var waiting = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var flood = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var redis = args.Length > 2 ? args[2] : null;
        var policy = Policy();
        Console.WriteLine($"# {Environment.ProcessorCount} cores; {waiting:N0} waiting; {flood:N0} cookie-less requests");

        // in-process: managed heap after a full collection, before and after
        var before = Heap();
        var store = new InMemoryGateStore();
        await FillAsync(store, waiting, policy);
        var after = Heap();
        var snapshot = await store.SnapshotAsync(Now(), policy);
        Console.WriteLine($"in-process, {snapshot.WaitingTotal:N0} waiting: {(after - before) / 1048576.0:0.0} MiB managed heap, {(after - before) / (double)waiting:0} bytes per person");
        GC.KeepAlive(store);

        if (redis is not null)
        {
            using var connection = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            await server.ExecuteAsync("FLUSHDB", "ASYNC"); // a million keys take longer than a command timeout to free
            var used0 = UsedMemory(server);
            await FillAsync(new RedisGateStore(connection, "bench:gate"), waiting, policy);
            var used1 = UsedMemory(server);
            Console.WriteLine($"redis, {waiting:N0} waiting: used_memory +{(used1 - used0) / 1048576.0:0.0} MiB, {(used1 - used0) / (double)waiting:0} bytes per person, {await server.DatabaseSizeAsync():N0} keys");
            await server.ExecuteAsync("FLUSHDB", "ASYNC"); // a million keys take longer than a command timeout to free
        }

        await FloodAsync(flood, null);
        if (redis is not null)
        {
            await FloodAsync(flood, redis);
        }
    }

    /// <summary>A full node (one place, taken) and a queue of one; then cookie-less requests; what is left in the store.</summary>
    private static async Task FloodAsync(int requests, string? redis)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["Gate:MaxActiveUsers"] = "1",
            ["Gate:FairStartWindow"] = "00:00:00",
            ["Gate:Limits:NewVisitorsPerIp:PermitsPerSecond"] = "1000000",
            ["Gate:Limits:NewVisitorsPerIp:Burst"] = "1000000",
            ["Gate:Limits:PerIp:PermitsPerSecond"] = "1000000",
            ["Gate:Limits:PerIp:Burst"] = "1000000",
        };
        if (redis is not null)
        {
            settings["Gate:Redis"] = redis;
            settings["Gate:RedisPrefix"] = "bench:flood";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPreauGate(builder.Configuration);
        await using var app = builder.Build();
        app.UsePreauGate();
        app.MapPreauGate();
        app.MapGet("/", () => "page");
        await app.StartAsync();
        using var client = app.GetTestClient();

        // one returning visitor takes the only place, a second waits
        foreach (var _ in new[] { 1, 2 })
        {
            var first = await client.GetAsync(new Uri("/gate/status", UriKind.Relative));
            var cookie = first.Headers.GetValues("Set-Cookie").First().Split(';')[0];
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", cookie);
            await client.SendAsync(request);
        }
        await Task.Delay(2100); // the newcomer check reads a snapshot at most two seconds old
        var keysBefore = await RedisKeysAsync(redis);
        var heapBefore = Heap();
        var codes = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            codes[response.StatusCode] = codes.GetValueOrDefault(response.StatusCode) + 1;
        }
        var heapAfter = Heap();
        var keysAfter = await RedisKeysAsync(redis);
        var snapshot = await app.Services.GetRequiredService<IPreauGate>().GetOverviewAsync();
        var where = redis is null ? "in-process" : "redis";
        Console.WriteLine($"{where} flood of {requests:N0} cookie-less GET /: {string.Join(", ", codes.Select(c => $"{(int)c.Key}×{c.Value:N0}"))}; " +
            $"waiting {snapshot.Lanes.Sum(l => l.Waiting)}, active {snapshot.Lanes.Sum(l => l.Active)}; managed heap {(heapAfter - heapBefore) / 1024.0:+0;-0} KiB" +
            (redis is null ? "" : $"; redis keys {keysBefore} → {keysAfter}"));
        await app.StopAsync();
    }

    private static async Task<long> RedisKeysAsync(string? redis)
    {
        if (redis is null)
        {
            return 0;
        }
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
        return await connection.GetServer(connection.GetEndPoints()[0]).DatabaseSizeAsync();
    }

    private static async Task FillAsync(IGateStore store, int count, AdmissionPolicy policy)
    {
        var now = Now();
        await store.EnterAsync(new EnterCommand("a:holder", "default", null, now, 0.5, policy)); // the only place
        const int Parallel = 64;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= count)
            {
                await store.EnterAsync(new EnterCommand("v:" + i.ToString("x8", CultureInfo.InvariantCulture) + "Qm9uam91ciBsZXMgZW5m", "default", null, now, 0.5, policy));
            }
        }));
    }

    private static AdmissionPolicy Policy() =>
        new([new LaneRule("default", 1, 0)], MaxActive: 1, InitialRate: 10, MinRate: 1, MaxRate: 50, IdleMs: 20 * 60_000, GraceMs: 20_000, FairStartMs: 0, StaleMs: 20_000);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long UsedMemory(IServer server) =>
        long.Parse(server.Info("memory").SelectMany(g => g).First(kv => kv.Key == "used_memory").Value, CultureInfo.InvariantCulture);
}
