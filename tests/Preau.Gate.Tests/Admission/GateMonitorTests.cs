using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Admission;

public sealed class GateMonitorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryGateStore _store = new();

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public async Task Estimate_RateHalvedAndRestoredEveryTenSecondsWhilePeopleWait_PromiseMatchesRealWaitWithin25Percent()
    {
        // places are never the limit; the shared rate moves in AIMD steps: 20/s, cut to 10/s, back to 20/s…
        var limits = TestOptions.PromiseLimits(maxActive: 1_000_000, initialRate: 20, maxRate: 50);
        var monitor = new GateMonitor(_store, limits, _time);

        // at 55 s the rate was just cut to 10/s; it will be back at 20/s in five seconds, as it was before
        var (promised, real) = await PromiseAndRealWaitAsync(monitor, limits.Policy, probeAt: 55, async second =>
        {
            if (second % 10 == 0)
            {
                var signal = second % 20 == 10 ? RateSignal.Decrease : RateSignal.Increase;
                await _store.AdjustRateAsync(signal, Now, 10_000, 10, 0.5, limits.Policy);
            }
        });

        Assert.True(PromiseLedger.Holds(promised.Low, promised.High, real),
            string.Create(CultureInfo.InvariantCulture, $"promised {promised.Low}–{promised.High} s, waited {real} s"));
    }

    [Fact]
    public async Task Estimate_RateCutOnceThenClimbingBackStepByStep_PromiseMatchesRealWaitWithin25Percent()
    {
        // the closure morning with one cut: 40/s, cut to 20/s at 10 s, then +2/s every 5 s while people wait, up to 50/s
        var limits = TestOptions.PromiseLimits(maxActive: 1_000_000, initialRate: 40, maxRate: 50);
        var monitor = new GateMonitor(_store, limits, _time) { RateGrowth = 2 / 5.0 }; // as the controller says past its slow start

        // at 42 s the rate is 32/s and has risen by 2 every 5 s for half a minute; the probe's wait lives through the rest of the climb
        var (promised, real) = await PromiseAndRealWaitAsync(monitor, limits.Policy, probeAt: 42, async second =>
        {
            if (second >= 10 && second % 5 == 0)
            {
                await _store.AdjustRateAsync(second == 10 ? RateSignal.Decrease : RateSignal.Increase, Now, 5_000, 2, 0.5, limits.Policy);
            }
            if (second == 42)
            {
                Assert.Equal(32, (await _store.SnapshotAsync(Now, limits.Policy)).Rate);
            }
        });

        Assert.True(PromiseLedger.Holds(promised.Low, promised.High, real),
            string.Create(CultureInfo.InvariantCulture, $"promised {promised.Low}–{promised.High} s, waited {real} s"));
    }

    /// <summary>
    /// 3,000 people wait, someone polls each second and <paramref name="step"/> moves the rate; a probe queued at
    /// second <paramref name="probeAt"/> is promised a wait: that promise, and how long it really waited.
    /// </summary>
    private async Task<((int Low, int High) Promised, double Real)> PromiseAndRealWaitAsync(GateMonitor monitor, AdmissionPolicy policy, int probeAt, Func<int, Task> step)
    {
        for (var i = 0; i < 3000; i++)
        {
            await _store.EnterAsync(new EnterCommand($"v:{i}", "Pupil", null, Now, 0.5, policy));
        }

        (int Low, int High)? promised = null;
        DateTimeOffset since = default;
        for (var second = 1; second <= 400; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await step(second);
            await _store.EnterAsync(new EnterCommand("v:pump", "Pupil", null, Now, 0.5, policy)); // someone polls each second
            var snapshot = await monitor.RefreshAsync();
            if (second == probeAt)
            {
                var probe = await _store.EnterAsync(new EnterCommand("v:probe", "Pupil", null, Now, 0.5, policy));
                promised = EtaEstimator.Range(monitor.Estimate("Pupil", probe.Position, snapshot));
                since = _time.GetUtcNow();
            }
            else if (promised is not null && (await _store.EnterAsync(new EnterCommand("v:probe", "Pupil", null, Now, 0.5, policy))).Outcome == EnterOutcome.Admitted)
            {
                return (promised.Value, (_time.GetUtcNow() - since).TotalSeconds);
            }
        }
        throw new InvalidOperationException("the probe was never let in");
    }
}
