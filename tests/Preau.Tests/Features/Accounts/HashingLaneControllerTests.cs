using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Preau.Web.Features.Accounts;

namespace Preau.Tests.Features.Accounts;

/// <summary>The lane's size follows signed-in requests' p95 against the target, one control tick at a time
/// (a fake clock drives the ticks; nothing here depends on how fast the machine is).</summary>
public sealed class HashingLaneControllerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_fast = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_slow = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Tick_PagesFastAndSignInsWaiting_WidensOneSlotAndStartsTheWaitingHash()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 1, maxSize: 3, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);
        using var release = new ManualResetEventSlim();
        var running = lane.TryRunAsync(() => release.Wait(s_timeout), CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 1, s_timeout));
        var waiting = lane.TryRunAsync(() => release.Wait(s_timeout), CancellationToken.None);
        Record(controller, s_fast, 20);

        clock.Advance(s_tick);

        Assert.Equal(2, lane.Size);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 2, s_timeout), "the waiting hash got the new slot");
        release.Set();
        await Task.WhenAll(running, waiting);
    }

    [Fact]
    public async Task Tick_PagesSlow_HalvesTheLaneOnEverySecondSlowJudgementDownToOne()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 4, maxSize: 4, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);

        var sizes = await SizesAfterTicksAsync(lane, controller, clock, [.. Enumerable.Repeat(s_slow, 6)]);

        Assert.Equal([4, 2, 2, 1, 1, 1], sizes);
    }

    [Fact]
    public async Task Tick_OneSlowJudgementBetweenFastOnes_NeitherNarrowsNorWidens()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 1, maxSize: 3, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);

        var sizes = await SizesAfterTicksAsync(lane, controller, clock, [s_fast, s_slow, s_fast, s_slow, s_fast]);

        // A pause now and then (a collection, a method recompiled) is not the hashes' doing: the lane holds on it.
        Assert.Equal([2, 2, 3, 3, 3], sizes);
    }

    [Fact]
    public async Task Tick_OneSlowPageAmongFewRequests_DoesNotNarrowUntilEnoughRequestsShowIt()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 2, maxSize: 2, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);

        var sizes = new List<int>();
        // One pupil reading ten pages a second, one of them slow each second: 10 % of one second's requests, but
        // one slow page out of ten is noise, not a p95. Judged over 20 requests it is 2 in 20: still over 5 %.
        for (var i = 0; i < 3; i++)
        {
            await SaturateAsync(lane);
            Record(controller, s_fast, 9);
            Record(controller, i == 0 ? s_slow : s_fast, 1);
            clock.Advance(s_tick);
            sizes.Add(lane.Size);
        }

        // First second: 10 requests, not enough to judge, and the slow one keeps the lane from widening.
        // Second second: 20 requests, 1 slow (5 %, not over): kept at 2. Third second: 10 fast, kept.
        Assert.Equal([2, 2, 2], sizes);

        for (var i = 0; i < HashingLaneController.SlowJudgementsToNarrow; i++)
        {
            await SaturateAsync(lane);
            Record(controller, s_slow, 2);
            Record(controller, s_fast, 18);
            clock.Advance(s_tick);
        }
        Assert.Equal(1, lane.Size);
    }

    [Fact]
    public async Task Tick_AFewSlowPagesThenNoPageAtAll_TheVetoLapsesAndTheLaneWidens()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 1, maxSize: 2, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);

        // A node just started: its first pages are slow (JIT), too few to judge a p95 on; then a sign-in storm with
        // nobody reading pages. Nothing is left to protect: the lane must not stay narrow on that old evidence.
        Record(controller, s_slow, 3);
        var sizes = new List<int>();
        for (var i = 0; i < HashingLaneController.MaxHeldIntervals; i++)
        {
            await SaturateAsync(lane);
            clock.Advance(s_tick);
            sizes.Add(lane.Size);
        }

        Assert.Equal([1, 1, 1, 1, 2], sizes);
    }

    [Fact]
    public async Task Tick_SlowThenFastAgain_NarrowsThenWidensBackToTheMaximumNotBeyond()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 2, maxSize: 2, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);

        var sizes = await SizesAfterTicksAsync(lane, controller, clock, [s_slow, s_slow, s_fast, s_fast]);

        Assert.Equal([2, 1, 2, 2], sizes);
    }

    [Fact]
    public void Tick_PagesFastButNoSignInWaited_KeepsTheSize()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 1, maxSize: 4, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);
        Record(controller, s_fast, 20);

        clock.Advance(s_tick);

        Assert.Equal(1, lane.Size);
    }

    [Fact]
    public async Task Tick_FixedConcurrencyConfigured_NeverResizes()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 2, maxSize: 2, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(fixedSize: 2), clock);
        await SaturateAsync(lane);
        Record(controller, s_slow, 20);

        clock.Advance(s_tick);

        Assert.Equal(2, lane.Size);
    }

    [Fact]
    public async Task HashesPerSecond_AfterATick_IsTheHashesDoneDuringIt()
    {
        var clock = new FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 1, maxSize: 1, queueCapacity: 10, meters: null, clock);
        using var controller = new HashingLaneController(lane, Options(), clock);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => lane.TryRunAsync(() => i, CancellationToken.None)));

        clock.Advance(s_tick);

        Assert.Equal(3.0, controller.HashesPerSecond, 3);
    }

    /// <summary>One control tick per latency: a saturated lane, 20 signed-in requests of that latency; the size after each.</summary>
    private static async Task<List<int>> SizesAfterTicksAsync(HashingLane lane, HashingLaneController controller, FakeTimeProvider clock, TimeSpan[] latencies)
    {
        var sizes = new List<int>();
        foreach (var latency in latencies)
        {
            await SaturateAsync(lane);
            Record(controller, latency, 20);
            clock.Advance(s_tick);
            sizes.Add(lane.Size);
        }

        return sizes;
    }

    /// <summary>Makes one hash wait for a slot (the sign that the lane, not demand, was the limit).</summary>
    private static async Task SaturateAsync(HashingLane lane)
    {
        using var release = new ManualResetEventSlim();
        var all = Enumerable.Range(0, lane.Size + 1).Select(_ => lane.TryRunAsync(() => release.Wait(s_timeout), CancellationToken.None)).ToList();
        release.Set();
        await Task.WhenAll(all);
    }

    private static void Record(HashingLaneController controller, TimeSpan latency, int count)
    {
        for (var i = 0; i < count; i++)
        {
            controller.Record(latency);
        }
    }

    private static IOptions<AccountsOptions> Options(int? fixedSize = null) => Microsoft.Extensions.Options.Options.Create(new AccountsOptions
    {
        HashingConcurrency = fixedSize,
        HashingLatencyTargetMs = 50,
        HashingControlMilliseconds = 1000,
    });
}
