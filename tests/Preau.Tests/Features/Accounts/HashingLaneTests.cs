using Microsoft.Extensions.DependencyInjection;
using Preau.Web.Features.Accounts;

namespace Preau.Tests.Features.Accounts;

public sealed class HashingLaneTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TryRunAsync_FreeLane_RunsOnADedicatedThreadAndReturnsValue()
    {
        using var lane = new HashingLane(concurrency: 2, queueCapacity: 1);

        var result = await lane.TryRunAsync(() => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread), CancellationToken.None);

        Assert.True(result.Admitted);
        Assert.StartsWith("preau-hashing-", result.Value.Name, StringComparison.Ordinal);
        Assert.False(result.Value.IsThreadPoolThread);
    }

    [Fact]
    public async Task TryRunAsync_NicenessGiven_HashesRunBelowPagesPriority()
    {
        var pageThread = ThreadNiceness.OfCurrentThread();
        using var lane = new HashingLane(initialSize: 1, maxSize: 1, queueCapacity: 1, meters: null, TimeProvider.System, niceness: 10);

        var result = await lane.TryRunAsync(ThreadNiceness.OfCurrentThread, CancellationToken.None);

        Assert.True(result.Admitted);
        Assert.Equal(pageThread + 10, result.Value);
    }

    [Fact]
    public async Task TryRunAsync_NoNiceness_HashesRunAtPagesPriority()
    {
        using var lane = new HashingLane(concurrency: 1, queueCapacity: 1);

        var result = await lane.TryRunAsync(ThreadNiceness.OfCurrentThread, CancellationToken.None);

        Assert.Equal(ThreadNiceness.OfCurrentThread(), result.Value);
    }

    [Fact]
    public async Task TryRunAsync_SlotsAndQueueTaken_AnswersBusyAtOnce()
    {
        using var lane = new HashingLane(concurrency: 1, queueCapacity: 2);
        using var gate = new ManualResetEventSlim();
        var running = lane.TryRunAsync(() => gate.Wait(s_timeout), CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 1, s_timeout));
        var queued1 = lane.TryRunAsync(() => 1, CancellationToken.None);
        var queued2 = lane.TryRunAsync(() => 2, CancellationToken.None);

        Assert.Equal(2, lane.QueueLength);
        Assert.True(lane.IsFull);
        var refused = lane.TryRunAsync(() => 3, CancellationToken.None);
        Assert.True(refused.IsCompleted);
        Assert.False((await refused).Admitted);

        gate.Set();
        Assert.Equal(1, (await queued1).Value);
        Assert.Equal(2, (await queued2).Value);
        Assert.True((await running).Admitted);
        Assert.True(SpinWait.SpinUntil(() => !lane.IsFull && lane.QueueLength == 0, s_timeout));
        Assert.True((await lane.TryRunAsync(() => 4, CancellationToken.None)).Admitted);
    }

    [Theory]
    [InlineData(100, 6)] // two slots finish six 100 ms hashes in 300 ms
    [InlineData(20, 16)] // a fast machine: as many as the limit
    [InlineData(900, 2)] // a slow or busy one: still one per slot
    public async Task QueueCapacity_WaitBoundedInTime_FollowsTheMeasuredTimeOfOneHash(int hashMs, int expected)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var lane = new HashingLane(initialSize: 2, maxSize: 2, queueCapacity: 16, meters: null, clock, maxQueueWait: TimeSpan.FromMilliseconds(300));
        var before = lane.QueueCapacity;

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await lane.TryRunAsync(() => { clock.Advance(TimeSpan.FromMilliseconds(hashMs)); return i; }, CancellationToken.None)).Admitted);
        }

        Assert.Equal((16, expected), (before, lane.QueueCapacity));
    }

    [Fact]
    public async Task TryRunAsync_ManyCallers_NeverRunsMoreThanConcurrency()
    {
        using var lane = new HashingLane(concurrency: 2, queueCapacity: 100);
        var current = 0;
        var peak = 0;

        var all = Enumerable.Range(0, 40).Select(_ => lane.TryRunAsync(() =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref peak, now);
            Thread.SpinWait(200_000);
            Interlocked.Decrement(ref current);
            return true;
        }, CancellationToken.None)).ToList();
        var results = await Task.WhenAll(all);

        Assert.All(results, r => Assert.True(r.Admitted));
        Assert.InRange(peak, 1, 2);
    }

    [Fact]
    public async Task TryRunAsync_CallerGaveUpWhileQueued_WorkIsSkipped()
    {
        using var lane = new HashingLane(concurrency: 1, queueCapacity: 5);
        using var gate = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        _ = lane.TryRunAsync(() => gate.Wait(s_timeout), CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 1, s_timeout));
        var ran = false;
        var queued = lane.TryRunAsync(() => ran = true, cts.Token);

        await cts.CancelAsync();
        gate.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.False(ran);
    }

    [Fact]
    public async Task TryRunAsync_WorkThrows_CallerSeesExceptionAndLaneKeepsWorking()
    {
        using var lane = new HashingLane(concurrency: 1, queueCapacity: 0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => lane.TryRunAsync<int>(() => throw new InvalidOperationException(), CancellationToken.None));
        Assert.True(SpinWait.SpinUntil(() => !lane.IsFull, s_timeout));
        Assert.Equal(7, (await lane.TryRunAsync(() => 7, CancellationToken.None)).Value);
    }

    [Fact]
    public async Task TryRunAsync_OneSourceQueuedMany_OtherSourcesTakeTurnsWithIt()
    {
        using var lane = new HashingLane(concurrency: 1, queueCapacity: 20);
        using var gate = new ManualResetEventSlim();
        var blocker = lane.TryRunAsync(() => gate.Wait(s_timeout), "203.0.113.9", CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 1, s_timeout));
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var flood = Enumerable.Range(1, 6)
            .Select(i => lane.TryRunAsync(() => { order.Enqueue($"flood{i}"); return true; }, "203.0.113.9", CancellationToken.None)).ToList();
        var pupilA = lane.TryRunAsync(() => { order.Enqueue("a"); return true; }, "198.51.100.1", CancellationToken.None);
        var pupilB = lane.TryRunAsync(() => { order.Enqueue("b"); return true; }, "2001:db8:1:2::5", CancellationToken.None);

        gate.Set();
        await Task.WhenAll([.. flood, pupilA, pupilB]);
        Assert.True((await blocker).Admitted);

        // FIFO would have run them 7th and 8th, after the whole flood: in turn, they run 2nd and 3rd.
        Assert.Equal(["flood1", "a", "b", "flood2", "flood3", "flood4", "flood5", "flood6"], order.ToArray());
    }

    [Fact]
    public async Task TryRunAsync_QueueFullOfOneSource_NewcomerTakesItsNewestPlace()
    {
        using var lane = new HashingLane(concurrency: 1, queueCapacity: 3);
        using var gate = new ManualResetEventSlim();
        var blocker = lane.TryRunAsync(() => gate.Wait(s_timeout), "203.0.113.9", CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 1, s_timeout));
        var flood = Enumerable.Range(1, 3).Select(i => lane.TryRunAsync(() => i, "203.0.113.9", CancellationToken.None)).ToList();
        Assert.True(lane.IsFull);

        var floodAgain = lane.TryRunAsync(() => 4, "203.0.113.9", CancellationToken.None);
        var pupil = lane.TryRunAsync(() => 10, "198.51.100.1", CancellationToken.None);
        var secondPupil = lane.TryRunAsync(() => 20, "198.51.100.2", CancellationToken.None);
        var thirdPupil = lane.TryRunAsync(() => 30, "198.51.100.3", CancellationToken.None);

        // The flood cannot push itself out; each newcomer takes the flood's newest place while the flood waits with
        // at least two more than the newcomer; once no source leads by two, the queue is simply full.
        Assert.False((await floodAgain).Admitted);
        Assert.False((await flood[2]).Admitted);
        Assert.False((await flood[1]).Admitted);
        Assert.False((await thirdPupil).Admitted);
        Assert.Equal(3, lane.QueueLength);
        gate.Set();
        Assert.Equal((true, 1), ((await flood[0]).Admitted, (await flood[0]).Value));
        Assert.Equal((true, 10), ((await pupil).Admitted, (await pupil).Value));
        Assert.Equal((true, 20), ((await secondPupil).Admitted, (await secondPupil).Value));
        Assert.True((await blocker).Admitted);
        Assert.True(SpinWait.SpinUntil(() => lane.QueueLength == 0 && !lane.IsFull, s_timeout));
    }

    [Fact]
    public async Task Dispose_HashesAlreadyQueued_StillRunAndNewOnesAreBusy()
    {
        var lane = new HashingLane(concurrency: 1, queueCapacity: 5);
        using var gate = new ManualResetEventSlim();
        var blocker = lane.TryRunAsync(() => gate.Wait(s_timeout), CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 1, s_timeout));
        var queued = lane.TryRunAsync(() => 5, "198.51.100.1", CancellationToken.None);

        lane.Dispose();
        var late = lane.TryRunAsync(() => 6, CancellationToken.None);
        gate.Set();

        Assert.False((await late).Admitted);
        Assert.Equal(5, (await queued).Value);
        Assert.True((await blocker).Admitted);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

public sealed class HashingLaneMetricsTests
{
    [Fact]
    public async Task Meter_LaneFull_ReportsQueueInFlightAndBusy()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var lane = new HashingLane(concurrency: 1, queueCapacity: 1, meters);
        var seen = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Preau" && instrument.Name.StartsWith("preau.hashing.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            seen[instrument.Name] = seen.GetValueOrDefault(instrument.Name) + value);
        listener.Start();
        using var gate = new ManualResetEventSlim();
        var running = lane.TryRunAsync(() => gate.Wait(TimeSpan.FromSeconds(10)), CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.InFlight == 1, TimeSpan.FromSeconds(10)));
        var queued = lane.TryRunAsync(() => true, CancellationToken.None);

        Assert.False((await lane.TryRunAsync(() => true, CancellationToken.None)).Admitted);
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen["preau.hashing.in_flight"]);
        Assert.Equal(1, seen["preau.hashing.queue.length"]);
        Assert.Equal(1, seen["preau.hashing.busy"]);
        gate.Set();
        await Task.WhenAll(running, queued);
    }
}
