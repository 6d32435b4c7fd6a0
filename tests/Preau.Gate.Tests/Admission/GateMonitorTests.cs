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
        // at 55 s the rate was just cut to 10/s; it will be back at 20/s in five seconds, as it was before
        await AssertPromiseHoldsAsync(initialRate: 20, probeAt: 55, step: async (policy, second) =>
        {
            if (second % 10 == 0)
            {
                var signal = second % 20 == 10 ? RateSignal.Decrease : RateSignal.Increase;
                await _store.AdjustRateAsync(signal, Now, 10_000, 10, 0.5, policy);
            }
        });
    }

    [Fact]
    public async Task Estimate_RateCutOnceThenClimbingBackStepByStep_PromiseMatchesRealWaitWithin25Percent()
    {
        // the closure morning with one cut: 40/s, cut to 20/s at 10 s, then +2/s every 5 s while people wait, up to 50/s
        // at 42 s the rate is 32/s and has risen by 2 every 5 s for half a minute; the probe's wait lives through the rest of the climb
        await AssertPromiseHoldsAsync(initialRate: 40, probeAt: 42, rateGrowth: 2 / 5.0, step: async (policy, second) =>
        {
            if (second >= 10 && second % 5 == 0)
            {
                await _store.AdjustRateAsync(second == 10 ? RateSignal.Decrease : RateSignal.Increase, Now, 5_000, 2, 0.5, policy);
            }
            if (second == 42)
            {
                Assert.Equal(32, (await _store.SnapshotAsync(Now, policy)).Rate);
            }
        });
    }

    [Fact]
    public async Task Estimate_CutThenClimbingBackAndCutAgainPastTheRateCutFrom_PromiseMatchesRealWaitWithin25Percent()
    {
        // a busy closure morning: 10/s, cut to 5/s at 10 s; then +2/s every 5 s while below the 10/s it was cut from,
        // cut by a fifth each time it goes past (the sign-in lane's pace): 7, 9, 11, 8.8, 10.8, 8.6…
        // at 17 s the rate is 7/s and climbing; climbing to the ceiling, the promise was a third of the real wait
        await AssertPromiseHoldsAsync(initialRate: 10, probeAt: 17, rateGrowth: 2 / 5.0, step: async (policy, second) =>
        {
            if (second >= 10 && second % 5 == 0)
            {
                var rate = (await _store.SnapshotAsync(Now, policy)).Rate;
                var cut = second == 10 || rate >= 10;
                await _store.AdjustRateAsync(cut ? RateSignal.Decrease : RateSignal.Increase, Now, 5_000, 2, second == 10 ? 0.5 : 0.8, policy);
            }
        });
    }

    [Fact]
    public async Task Estimate_SlowStartOvershotThenCutAndHeld_NoClimbBackToTheOvershoot()
    {
        // a quiet closure morning: 10/s for 10 s, doubled to 20 then 40 for an interval each, cut to 20 then to 13
        // (what the sign-in lane can take), where it stays while the lane holds a few
        // at 32 s the rate is 13/s; climbing back to the 40 it was cut from, the promise was a third short
        await AssertPromiseHoldsAsync(initialRate: 10, probeAt: 32, rateGrowth: 2 / 5.0, step: async (policy, second) =>
        {
            var (signal, step, factor) = second switch
            {
                10 or 15 => (RateSignal.Increase, 20.0, 1.0), // doubling: 20, 40
                20 => (RateSignal.Decrease, 2.0, 0.5),        // 20
                25 => (RateSignal.Decrease, 2.0, 0.65),       // 13
                _ => ((RateSignal?)null, 0.0, 0.0),
            };
            if (signal is { } s)
            {
                await _store.AdjustRateAsync(s, Now, 5_000, second == 10 ? 10 : step, factor, policy);
            }
        });
    }

    [Fact]
    public async Task Estimate_CutThenHeldThenClimbingPastItWithoutACut_PromiseMatchesRealWaitWithin25Percent()
    {
        // the closure morning of BENCHMARKS.md §35, quiet and busy alike: 10/s, doubled to 20 then 40 for an interval
        // each, cut to 20 then to 14.2 (what the sign-in lane took) and held there 20 s while the arrivals went on; once
        // they were over, the rate climbed half again past it, 2/s every 5 s, with no further cut
        // at 45 s the rate is 14.2/s; stopped there, the promise was a third long
        await AssertPromiseHoldsAsync(initialRate: 10, probeAt: 45, rateGrowth: 2 / 5.0, people: 1800, step: async (policy, second) =>
        {
            var (signal, step, factor) = second switch
            {
                20 => (RateSignal.Increase, 10.0, 1.0),        // 20
                27 => (RateSignal.Increase, 20.0, 1.0),        // 40
                33 => (RateSignal.Decrease, 2.0, 0.5),         // 20
                39 => (RateSignal.Decrease, 2.0, 0.71),        // 14.2
                60 or 65 or 70 or 75 => (RateSignal.Increase, 2.0, 1.0), // up to 22.2
                _ => ((RateSignal?)null, 0.0, 0.0),
            };
            if (signal is { } s)
            {
                await _store.AdjustRateAsync(s, Now, 5_000, step, factor, policy);
            }
        });
    }

    [Fact]
    public async Task Estimate_SlowStartDoubledRateLastedPastTwoIntervalsThenCut_NotTakenForARateTheNodeHeld()
    {
        // a quiet closure morning of BENCHMARKS.md §35: 10/s, doubled to 20 then 40, where a hold kept it 11 s before the
        // cut to 20 that ended the slow start; it stayed at 20, then was cut to 18.4
        // at 45 s the rate is 20/s; taking the slow start's 40 for a rate held, the promise climbed back to it, a third short
        await AssertPromiseHoldsAsync(initialRate: 10, probeAt: 45, rateGrowth: 2 / 5.0, people: 1800, slowStartEndsAt: 39, step: async (policy, second) =>
        {
            var (signal, step, factor) = second switch
            {
                21 => (RateSignal.Increase, 10.0, 1.0),  // 20
                28 => (RateSignal.Increase, 20.0, 1.0),  // 40
                39 => (RateSignal.Decrease, 2.0, 0.5),   // 20
                57 => (RateSignal.Decrease, 2.0, 0.92),  // 18.4
                _ => ((RateSignal?)null, 0.0, 0.0),
            };
            if (signal is { } s)
            {
                await _store.AdjustRateAsync(s, Now, 5_000, step, factor, policy);
            }
        });
    }

    [Fact]
    public async Task Estimate_ParentsLetInAtFirstThenOnlyPupils_PupilsPromisedTheWholeRate()
    {
        var limits = TestOptions.PromiseLimits(maxActive: 1_000_000, initialRate: 20, maxRate: 20);
        var monitor = new GateMonitor(_store, limits, _time);
        for (var i = 0; i < 60; i++) // sixty parents come first and are let in within three seconds
        {
            await _store.EnterAsync(new EnterCommand($"p:{i}", "Parent", null, Now, 0.5, limits.Policy));
        }

        for (var second = 1; second <= 30; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            for (var i = 0; second == 5 && i < 2000; i++) // then two thousand pupils
            {
                await _store.EnterAsync(new EnterCommand($"v:{i}", "Pupil", null, Now, 0.5, limits.Policy));
            }
            await _store.EnterAsync(new EnterCommand("v:pump", "Pupil", null, Now, 0.5, limits.Policy)); // someone polls each second
            await monitor.RefreshAsync();
        }

        // half a minute on, every admission goes to the pupils: 100 of them are let in in 5 s, and the second before
        // the next poll. Measured over a minute, the parents of the first seconds still counted: 11 s.
        var estimate = monitor.Estimate("Pupil", 100, await monitor.RefreshAsync());
        Assert.Equal(6, estimate.CenterSeconds, 3);
    }

    /// <summary>
    /// Places are never the limit; <paramref name="step"/> moves the rate each second (with
    /// <paramref name="rateGrowth"/>, the climb the controller says past its slow start): the promise made to a probe
    /// queued at second <paramref name="probeAt"/> holds within ±25 % of its real wait.
    /// </summary>
    private async Task AssertPromiseHoldsAsync(double initialRate, int probeAt, Func<AdmissionPolicy, int, Task> step, double rateGrowth = 0, int people = 3000, int? slowStartEndsAt = null)
    {
        var limits = TestOptions.PromiseLimits(maxActive: 1_000_000, initialRate: initialRate, maxRate: 50);
        var monitor = new GateMonitor(_store, limits, _time) { RateGrowth = rateGrowth };
        var (promised, real) = await PromiseAndRealWaitAsync(monitor, limits.Policy, probeAt, second =>
        {
            if (second == slowStartEndsAt)
            {
                monitor.SlowStartEndedAt = _time.GetUtcNow(); // as the controller says at its first cut
            }
            return step(limits.Policy, second);
        }, people);
        Assert.True(PromiseLedger.Holds(promised.Low, promised.High, real),
            string.Create(CultureInfo.InvariantCulture, $"promised {promised.Low}–{promised.High} s, waited {real} s"));
    }

    /// <summary>
    /// 3,000 people wait, someone polls each second and <paramref name="step"/> moves the rate; a probe queued at
    /// second <paramref name="probeAt"/> is promised a wait: that promise, and how long it really waited.
    /// </summary>
    private async Task<((int Low, int High) Promised, double Real)> PromiseAndRealWaitAsync(GateMonitor monitor, AdmissionPolicy policy, int probeAt, Func<int, Task> step, int people)
    {
        for (var i = 0; i < people; i++)
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
