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
