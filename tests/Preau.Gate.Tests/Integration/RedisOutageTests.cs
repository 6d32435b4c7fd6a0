using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Integration;

/// <summary>Two gate hosts on a real redis-server of their own, which is killed and restarted empty.</summary>
public sealed class RedisOutageTests
{
    private const int MaxActive = 2;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 7, 59, 0, TimeSpan.Zero));

    [Fact]
    public async Task TwoNodes_RedisKilledThenRestartedEmpty_NeverAdmitMoreThanMaxActive()
    {
        var port = FreePort();
        var redis = StartRedis(port);
        try
        {
            var settings = GateTestApp.Settings(MaxActive, 1000,
                ("Gate:Redis", $"127.0.0.1:{port}"), ("Gate:RedisPrefix", TestRedis.NewPrefix()));
            await using var nodeA = await GateTestApp.StartAsync(_time, settings);
            await using var nodeB = await GateTestApp.StartAsync(_time, settings);
            var storeA = Store(nodeA);
            var storeB = Store(nodeB);
            await storeA.HeartbeatAsync();
            Assert.Equal(2, storeA.NodesSeen);

            var users = Enumerable.Range(0, 8).Select(i => new Visitor(nodeA.Client, $"u{i}:Pupil")).ToArray();
            Assert.Equal(HttpStatusCode.OK, await CodeAsync(users, 0, nodeA.Client));
            Assert.Equal(HttpStatusCode.OK, await CodeAsync(users, 1, nodeB.Client));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await CodeAsync(users, 2, nodeA.Client));

            // Redis dies: each node may admit one, but each already holds one place, so nobody new comes in
            redis.Kill();
            await redis.WaitForExitAsync();
            await UntilAsync(() => storeA.IsFallingBack && storeB.IsFallingBack, storeA, storeB);
            var cutOff = new List<HttpStatusCode>();
            for (var i = 2; i < 8; i++)
            {
                cutOff.Add(await CodeAsync(users, i, i % 2 == 0 ? nodeA.Client : nodeB.Client));
            }
            Assert.All(cutOff, c => Assert.Equal(HttpStatusCode.ServiceUnavailable, c));
            Assert.Equal(HttpStatusCode.OK, await CodeAsync(users, 1, nodeA.Client)); // admitted people keep working

            // one leaves through node A: node A, and only it, has a place to give
            using (await Move(users, 0, nodeA.Client).SendAsync(HttpMethod.Post, "/deconnexion"))
            {
            }
            _time.Advance(TimeSpan.FromSeconds(1));
            var admittedCutOff = new List<int>();
            for (var i = 2; i < 8; i++)
            {
                if (await CodeAsync(users, i, i % 2 == 0 ? nodeA.Client : nodeB.Client) == HttpStatusCode.OK)
                {
                    admittedCutOff.Add(i);
                }
            }
            Assert.Single(admittedCutOff);

            // Redis comes back with nothing in it: the nodes put back the two places held before anyone else comes in
            redis = StartRedis(port);
            await UntilAsync(() => !storeA.IsFallingBack && !storeB.IsFallingBack, storeA, storeB);
            var duringHold = new List<HttpStatusCode>();
            var waiting = Enumerable.Range(2, 6).Except(admittedCutOff).ToList();
            foreach (var i in waiting)
            {
                duringHold.Add(await CodeAsync(users, i, i % 2 == 0 ? nodeB.Client : nodeA.Client));
            }
            _time.Advance(TimeSpan.FromSeconds(6));
            await storeA.HeartbeatAsync();
            await storeB.HeartbeatAsync();
            var afterHold = new List<HttpStatusCode>();
            foreach (var i in waiting)
            {
                afterHold.Add(await CodeAsync(users, i, i % 2 == 0 ? nodeA.Client : nodeB.Client));
            }
            var policy = ((GateLimits)nodeA.Services.GetService(typeof(GateLimits))!).Policy;
            var held = (await storeA.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), policy)).ActiveTotal;

            Assert.All(duringHold, c => Assert.Equal(HttpStatusCode.ServiceUnavailable, c));
            Assert.All(afterHold, c => Assert.Equal(HttpStatusCode.ServiceUnavailable, c));
            Assert.Equal(MaxActive, held);

            // a place given back in the rebuilt Redis goes to exactly one of those waiting
            using (await Move(users, 1, nodeA.Client).SendAsync(HttpMethod.Post, "/deconnexion"))
            {
            }
            _time.Advance(TimeSpan.FromSeconds(1));
            var admittedAfter = 0;
            foreach (var i in waiting)
            {
                admittedAfter += await CodeAsync(users, i, i % 2 == 0 ? nodeB.Client : nodeA.Client) == HttpStatusCode.OK ? 1 : 0;
            }
            Assert.Equal(1, admittedAfter);
        }
        finally
        {
            if (!redis.HasExited)
            {
                redis.Kill();
            }
            redis.Dispose();
        }
    }

    private static FallbackGateStore Store(GateTestApp node) => (FallbackGateStore)node.Services.GetService(typeof(IGateStore))!;

    /// <summary>The browser goes to that node and keeps the ticket it gets back.</summary>
    private static Visitor Move(Visitor[] users, int i, HttpClient node) => users[i] = users[i].On(node);

    private static async Task<HttpStatusCode> CodeAsync(Visitor[] users, int i, HttpClient node)
    {
        using var response = await Move(users, i, node).GetAsync("/");
        return response.StatusCode;
    }

    /// <summary>Heartbeats both nodes until the condition holds (the client reconnects on its own, in real time).</summary>
    private static async Task UntilAsync(Func<bool> condition, params FallbackGateStore[] stores)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            foreach (var store in stores)
            {
                await store.HeartbeatAsync();
            }
            if (condition())
            {
                return;
            }
            Assert.True(watch.Elapsed < Patience, "the nodes did not notice Redis going or coming back");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A private redis-server without persistence: restarted, it comes back empty.</summary>
    private static Process StartRedis(int port)
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Patience)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return process;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new InvalidOperationException("redis-server did not start");
    }
}
