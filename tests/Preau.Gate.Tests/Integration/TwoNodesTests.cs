using System.Net;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Integration;

/// <summary>Two gate hosts sharing the real Redis behave as one gate.</summary>
public sealed class TwoNodesTests
{
    private const int MaxActive = 5;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 7, 59, 0, TimeSpan.Zero));

    [Fact]
    public async Task TwoNodes_SharingRedis_ShowOneCoherentQueue()
    {
        var settings = GateTestApp.Settings(MaxActive, 1000,
            ("Gate:Redis", TestRedis.ConnectionString), ("Gate:RedisPrefix", TestRedis.NewPrefix()));
        await using var nodeA = await GateTestApp.StartAsync(_time, settings);
        await using var nodeB = await GateTestApp.StartAsync(_time, settings);
        var nodes = new[] { nodeA, nodeB };
        var store = (IGateStore)nodeA.Services.GetService(typeof(IGateStore))!;
        var policy = ((GateLimits)nodeA.Services.GetService(typeof(GateLimits))!).Policy;

        var visitors = new List<Visitor>();
        var firstCodes = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            var visitor = new Visitor(nodes[i % 2].Client, $"u{i}:Pupil");
            using var response = await visitor.GetAsync("/");
            firstCodes.Add(response.StatusCode);
            visitors.Add(visitor);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.All(firstCodes.Take(MaxActive), c => Assert.Equal(HttpStatusCode.OK, c));
        Assert.All(firstCodes.Skip(MaxActive), c => Assert.Equal(HttpStatusCode.ServiceUnavailable, c));

        // asked on the other node, positions follow arrival order across both nodes
        var positions = new List<long>();
        for (var i = MaxActive; i < 20; i++)
        {
            var status = await visitors[i].On(nodes[(i + 1) % 2].Client).StatusAsync();
            positions.Add(status.GetProperty("position").GetInt64());
        }
        Assert.Equal(Enumerable.Range(1, 20 - MaxActive).Select(p => (long)p), positions);
        Assert.Equal(MaxActive, (await store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), policy)).ActiveTotal);

        // two users log out on the node they did not use; the next two in line, and only they, come in
        var admittedOrder = new List<int>();
        var waiting = Enumerable.Range(MaxActive, 20 - MaxActive).ToList();
        for (var round = 0; round < 3; round++)
        {
            var leaving = round == 0 ? new[] { 0, 1 } : admittedOrder.Skip((round - 1) * 2).Take(2).ToArray();
            foreach (var i in leaving)
            {
                using var _ = await visitors[i].On(nodes[(i + 1) % 2].Client).SendAsync(HttpMethod.Post, "/deconnexion");
            }
            _time.Advance(TimeSpan.FromSeconds(1));
            foreach (var i in Enumerable.Reverse(waiting).ToList())
            {
                var visitor = visitors[i].On(nodes[(i + round) % 2].Client);
                using var response = await visitor.GetAsync("/");
                visitors[i] = visitor;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    admittedOrder.Add(i);
                    waiting.Remove(i);
                }
            }
            var active = (await store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), policy)).ActiveTotal;
            Assert.InRange(active, 1, MaxActive);
        }

        Assert.Equal([5, 6, 7, 8, 9, 10], admittedOrder.Order());
        Assert.Equal(6, admittedOrder.Count);
    }

    [Fact]
    public async Task TwoNodes_ConcurrentArrivals_NeverOverAdmitAndNeverShareAPosition()
    {
        var settings = GateTestApp.Settings(MaxActive, 1000,
            ("Gate:Redis", TestRedis.ConnectionString), ("Gate:RedisPrefix", TestRedis.NewPrefix()));
        await using var nodeA = await GateTestApp.StartAsync(_time, settings);
        await using var nodeB = await GateTestApp.StartAsync(_time, settings);
        var nodes = new[] { nodeA, nodeB };
        var store = (IGateStore)nodeA.Services.GetService(typeof(IGateStore))!;
        var policy = ((GateLimits)nodeA.Services.GetService(typeof(GateLimits))!).Policy;
        _time.Advance(TimeSpan.FromSeconds(1));

        var visitors = Enumerable.Range(0, 120).Select(i => new Visitor(nodes[i % 2].Client, $"c{i}:Pupil")).ToList();
        var codes = await Task.WhenAll(visitors.Select(async v =>
        {
            using var r = await v.GetAsync("/");
            return r.StatusCode;
        }));
        var statuses = await Task.WhenAll(visitors.Select((v, i) => v.On(nodes[(i + 1) % 2].Client).StatusAsync()));

        var positions = statuses.Where(s => s.GetProperty("state").GetString() == "queued").Select(s => s.GetProperty("position").GetInt64()).ToList();
        Assert.Equal(MaxActive, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(positions.Count, positions.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 120 - MaxActive).Select(p => (long)p), positions.Order());
        Assert.Equal(MaxActive, (await store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), policy)).ActiveTotal);
    }

    [Fact]
    public async Task Update_LimitsChangedOnOneNode_OtherNodeAppliesThem()
    {
        var settings = GateTestApp.Settings(MaxActive, 1000,
            ("Gate:Redis", TestRedis.ConnectionString), ("Gate:RedisPrefix", TestRedis.NewPrefix()));
        await using var nodeA = await GateTestApp.StartAsync(_time, settings);
        await using var nodeB = await GateTestApp.StartAsync(_time, settings);
        var limitsA = (GateLimits)nodeA.Services.GetService(typeof(GateLimits))!;
        var limitsB = (GateLimits)nodeB.Services.GetService(typeof(GateLimits))!;
        var monitorB = (GateMonitor)nodeB.Services.GetService(typeof(GateMonitor))!;

        _time.Advance(TimeSpan.FromSeconds(1));
        limitsA.Update(v => v with { MaxActiveUsers = 3, Shares = new Dictionary<string, double> { ["Staff"] = 20, ["Pupil"] = 60, ["Parent"] = 20 } });
        for (var attempt = 0; attempt < 250 && limitsB.Current.MaxActiveUsers != 3; attempt++)
        {
            await Task.Delay(20);
            await monitorB.RefreshAsync();
        }

        Assert.Equal(3, limitsB.Current.MaxActiveUsers);
        Assert.Equal(3, limitsB.Policy.MaxActive);
        Assert.Equal(0.2, limitsB.Policy.Lanes.Single(l => l.Name == "Parent").Share, 6);
    }
}
