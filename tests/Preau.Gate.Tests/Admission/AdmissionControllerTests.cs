using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Admission;

public sealed class AdmissionControllerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryGateStore _store = new();
    private readonly GateLimits _limits = new(TestOptions.Create(o =>
    {
        o.InitialAdmissionsPerSecond = 10;
        o.MaxAdmissionsPerSecond = 50;
        o.MinSamplesToIncrease = 5;
        o.WarmUp = TimeSpan.Zero;
    }));

    private AdmissionController Controller(GateLimits? limits = null)
    {
        limits ??= _limits;
        var monitor = new GateMonitor(_store, limits, _time);
        return new(_store, limits, monitor, TestOptions.Metrics(monitor, _store), _time, NullLogger<AdmissionController>.Instance);
    }

    private async Task<AdmissionController> ControllerWithQueueAsync() => (await ControllerAndMonitorWithQueueAsync()).Controller;

    private async Task<(AdmissionController Controller, GateMonitor Monitor)> ControllerAndMonitorWithQueueAsync()
    {
        var monitor = new GateMonitor(_store, _limits, _time);
        for (var i = 0; i < 15; i++) // ten come in at once (one second of the initial rate), five wait
        {
            await _store.EnterAsync(new EnterCommand($"v:{i}", "Pupil", null, _time.GetUtcNow().ToUnixTimeMilliseconds(), 0.5, _limits.Policy with { FairStartMs = 0 }));
        }
        await monitor.RefreshAsync();
        return (new AdmissionController(_store, _limits, monitor, TestOptions.Metrics(monitor, _store), _time, NullLogger<AdmissionController>.Instance), monitor);
    }

    private async Task<double> RateAsync() => (await _store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), _limits.Policy)).Rate;

    private static void RecordFast(AdmissionController controller, int count = 50)
    {
        for (var i = 0; i < count; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(80), serverFailure: false);
        }
    }

    [Fact]
    public async Task EvaluateAsync_FastRequestsWithoutErrorsWhilePeopleWait_DoublesRateUntilFirstCut()
    {
        var controller = await ControllerWithQueueAsync();
        RecordFast(controller);
        await controller.EvaluateAsync();
        var first = await RateAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        RecordFast(controller);
        await controller.EvaluateAsync();

        Assert.Equal((20, 40), (first, await RateAsync()));
    }

    [Fact]
    public async Task EvaluateAsync_HealthyAfterACut_RaisesRateByOneStep()
    {
        var controller = await ControllerWithQueueAsync();
        controller.Record(TimeSpan.FromMilliseconds(50), serverFailure: true);
        await controller.EvaluateAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        RecordFast(controller);

        await controller.EvaluateAsync();

        Assert.Equal(7, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_HealthyDuringWarmUp_RaisesRate()
    {
        var limits = new GateLimits(TestOptions.Create(o =>
        {
            o.InitialAdmissionsPerSecond = 10;
            o.MinSamplesToIncrease = 5;
            o.WarmUp = TimeSpan.FromSeconds(30);
        }));
        var monitor = new GateMonitor(_store, limits, _time);
        for (var i = 0; i < 15; i++)
        {
            await _store.EnterAsync(new EnterCommand($"v:{i}", "Pupil", null, _time.GetUtcNow().ToUnixTimeMilliseconds(), 0.5, limits.Policy with { FairStartMs = 0 }));
        }
        await monitor.RefreshAsync();
        var controller = new AdmissionController(_store, limits, monitor, TestOptions.Metrics(monitor, _store), _time, NullLogger<AdmissionController>.Instance);
        RecordFast(controller);

        await controller.EvaluateAsync();

        Assert.True(await RateAsync() > 10, "a healthy interval during warm-up may grow the rate; only cuts wait for the warm-up to end");
    }

    [Fact]
    public async Task EvaluateAsync_SignInLaneHoldsManySignIns_CutsRateWithReason()
    {
        var controller = await ControllerWithQueueAsync();
        RecordFast(controller);
        for (var i = 0; i < 40; i++)
        {
            controller.RecordSignIn(held: i % 2 == 0);
        }

        await controller.EvaluateAsync();

        Assert.Equal(5, await RateAsync(), 3);
        var decision = Assert.Single(controller.Decisions);
        Assert.Equal(("decrease", "sign-in-lane"), (decision.Decision, decision.Reason));
    }

    [Fact]
    public async Task EvaluateAsync_SignInLaneHoldsSomeOfTheSignIns_CutsRateToMeasuredSignInPace()
    {
        var controller = await ControllerWithQueueAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        RecordFast(controller);
        for (var i = 0; i < 60; i++) // 40 signed in over 5 s while the lane held 20: the host signs in 8 a second
        {
            controller.RecordSignIn(held: i % 3 == 0);
        }

        await controller.EvaluateAsync();

        Assert.Equal(8, controller.SignInCapacity!.Value, 3);
        Assert.Equal(8, await RateAsync(), 3);
        Assert.Equal(("decrease", "sign-in-lane"), (Assert.Single(controller.Decisions).Decision, Assert.Single(controller.Decisions).Reason));
    }

    [Fact]
    public async Task EvaluateAsync_RateDoublingThenCutHard_WaitBeingEstimatedUntilTheRateStopsFalling()
    {
        var (controller, monitor) = await ControllerAndMonitorWithQueueAsync();
        var estimates = new List<WaitEstimate>();
        async Task StepAsync(bool laneFull)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            RecordFast(controller);
            for (var i = 0; i < 40 && laneFull; i++)
            {
                controller.RecordSignIn(held: i % 2 == 0);
            }
            await controller.EvaluateAsync();
            estimates.Add(monitor.Estimate("Pupil", 100, await monitor.RefreshAsync()));
        }

        await StepAsync(laneFull: false); // slow start: 10 → 20, the node's capacity is not known yet
        await StepAsync(laneFull: true);  // the sign-in lane held half: cut to 10
        await StepAsync(laneFull: false); // healthy: + 2, the rate stopped falling

        Assert.Equal([WaitEstimate.Estimating, WaitEstimate.Estimating], estimates.Take(2));
        // the pace measured afresh: no rate of this minute was held for two intervals, and the only rate cut from was one
        // the slow start doubled to, not the node's: no climb counted above the rate of now (and the second, on
        // average, before the next poll sees the call)
        Assert.Equal((100 / await RateAsync()) + 1, estimates[2].CenterSeconds, 3);
    }

    [Fact]
    public async Task EvaluateAsync_SlowStartReachesTheCeilingAndStaysHealthy_NumberAfterTwoHealthyIntervalsThere()
    {
        var (controller, monitor) = await ControllerAndMonitorWithQueueAsync();
        var estimates = new List<WaitEstimate>();
        for (var step = 0; step < 5; step++) // 10 → 20 → 40 → 50 (the ceiling), then healthy there twice
        {
            for (var i = 0; i < 80; i++) // more people than a second's tokens: a queue all along
            {
                await _store.EnterAsync(new EnterCommand($"v:{step}-{i}", "Pupil", null, _time.GetUtcNow().ToUnixTimeMilliseconds(), 0.5, _limits.Policy with { FairStartMs = 0 }));
            }
            _time.Advance(TimeSpan.FromSeconds(5));
            RecordFast(controller);
            await controller.EvaluateAsync();
            estimates.Add(monitor.Estimate("Pupil", 100, await monitor.RefreshAsync()));
        }

        Assert.Equal(50, await RateAsync(), 3);
        // newest first: the rate cannot grow at the ceiling, and the node was never found overloaded
        Assert.Equal(["hold", "hold", "increase", "increase", "increase"], controller.Decisions.Select(d => d.Decision));
        // at the ceiling once, the node's capacity may still be below it; healthy there for two intervals, it is not:
        // a node faster than the ceiling was never cut and never gave a number
        Assert.All(estimates.Take(4), e => Assert.Equal(WaitEstimate.Estimating, e));
        Assert.Equal((100 / 50.0) + 1, estimates[4].CenterSeconds, 3);
    }

    [Fact]
    public async Task EvaluateAsync_CutByLessThanATenth_PromiseKeepsItsNumber()
    {
        var (controller, monitor) = await ControllerAndMonitorWithQueueAsync();
        controller.Record(TimeSpan.FromMilliseconds(50), serverFailure: true);
        await controller.EvaluateAsync(); // first cut: 10 → 5
        await monitor.RefreshAsync(); // every two seconds on a node
        _time.Advance(TimeSpan.FromSeconds(5));
        RecordFast(controller);
        await controller.EvaluateAsync(); // + 2: 7, settled
        await monitor.RefreshAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        RecordFast(controller);
        for (var i = 0; i < 50; i++) // 7.5 a second signed in over 5 s, 12 held: a cut to 7 changes nothing
        {
            controller.RecordSignIn(held: i < 12);
        }

        await controller.EvaluateAsync();

        var estimate = monitor.Estimate("Pupil", 70, await monitor.RefreshAsync());
        Assert.Equal(("hold", "pacing"), (controller.Decisions[0].Decision, controller.Decisions[0].Reason));
        // no higher rate of this minute held for two intervals: between the rate of now and a climb back to the 10 it
        // was first cut from (and the second before the next poll)
        Assert.Equal(BetweenFlatAndClimb(70, await RateAsync(), climbTo: 10) + 1, estimate.CenterSeconds, 3);
    }

    /// <summary>
    /// The wait of <paramref name="people"/> read between the rate of now held flat and the controller's climb (2 users/s
    /// every 5 s) up to <paramref name="climbTo"/>: the harmonic mean of the two, as GateMonitor reads it after a cut.
    /// </summary>
    private static double BetweenFlatAndClimb(double people, double rate, double climbTo)
    {
        const double growth = 2 / 5.0;
        var flat = people / rate;
        var toCeiling = (climbTo - rate) / growth;
        var byCeiling = (rate * toCeiling) + (growth * toCeiling * toCeiling / 2);
        var climbing = people <= byCeiling
            ? (Math.Sqrt((rate * rate) + (2 * growth * people)) - rate) / growth
            : toCeiling + ((people - byCeiling) / climbTo);
        Assert.True(climbing < flat, "a climb above the rate of now lets people in sooner");
        return 2 * flat * climbing / (flat + climbing);
    }

    [Fact]
    public async Task EvaluateAsync_SignInPaceMeasuredOnOneOfThreeNodes_CountsEveryNode()
    {
        var controller = await ControllerWithQueueAsync();
        controller.Nodes = () => 3;
        _time.Advance(TimeSpan.FromSeconds(5));
        RecordFast(controller);
        for (var i = 0; i < 25; i++) // this node signed in 15 in 5 s and held 10: three nodes sign in 9 a second
        {
            controller.RecordSignIn(held: i % 5 < 2);
        }

        await controller.EvaluateAsync();

        Assert.Equal(9, controller.SignInCapacity!.Value, 3);
        Assert.Equal(9, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_SignInLaneHeldAFew_KeepsRate()
    {
        var controller = await ControllerWithQueueAsync();
        RecordFast(controller);
        for (var i = 0; i < 100; i++)
        {
            controller.RecordSignIn(held: i < 3);
        }

        await controller.EvaluateAsync();

        Assert.Equal(10, await RateAsync(), 3);
        Assert.Equal(("hold", "sign-in-lane"), (Assert.Single(controller.Decisions).Decision, Assert.Single(controller.Decisions).Reason));
    }

    [Fact]
    public async Task EvaluateAsync_FastRequestsButNobodyWaiting_KeepsRate()
    {
        var controller = Controller();
        for (var i = 0; i < 50; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(80), serverFailure: false);
        }

        Assert.Null(await controller.EvaluateAsync());
        Assert.Equal(10, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_BurstOfBadInputFailures_KeepsRateAndSaysWhy()
    {
        var controller = Controller();
        for (var i = 0; i < 200; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(2), serverFailure: false, inputFailure: true);
        }

        await controller.EvaluateAsync();

        Assert.Equal(10, await RateAsync(), 3);
        var decision = Assert.Single(controller.Decisions);
        Assert.Equal(("hold", "no-queue", 200), (decision.Decision, decision.Reason, decision.InputFailures));
    }

    [Fact]
    public async Task EvaluateAsync_SlowRequestsDuringWarmUp_KeepsRate()
    {
        var limits = new GateLimits(TestOptions.Create(o => o.WarmUp = TimeSpan.FromSeconds(30)));
        var controller = Controller(limits);
        for (var i = 0; i < 50; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(900), serverFailure: false);
        }

        Assert.Null(await controller.EvaluateAsync());
        Assert.Equal(10, await RateAsync(), 3);
        Assert.Equal("warm-up", Assert.Single(controller.Decisions).Reason);
    }

    [Fact]
    public async Task EvaluateAsync_AFewSlowFirstRequests_KeepsRate()
    {
        var controller = Controller();
        for (var i = 0; i < 3; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(380), serverFailure: false);
        }

        await controller.EvaluateAsync();

        Assert.Equal(10, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_ThreadPoolSaturated_CutsRateWithReason()
    {
        var controller = Controller();
        controller.PendingWorkItems = static () => 5000;
        for (var i = 0; i < 5; i++)
        {
            controller.SampleThreadPool();
        }

        await controller.EvaluateAsync();

        Assert.Equal(5, await RateAsync(), 3);
        var decision = Assert.Single(controller.Decisions);
        Assert.Equal(("decrease", "thread-pool"), (decision.Decision, decision.Reason));
        Assert.Equal((10, 5), (decision.RateBefore, decision.RateAfter));
    }

    [Fact]
    public async Task EvaluateAsync_P95AboveTarget_HalvesRate()
    {
        var controller = Controller();
        for (var i = 0; i < 90; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(100), serverFailure: false);
        }
        for (var i = 0; i < 10; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(900), serverFailure: false);
        }

        await controller.EvaluateAsync();

        Assert.Equal(5, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_OneServerError_BacksOff()
    {
        var controller = Controller();
        for (var i = 0; i < 50; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(50), serverFailure: i == 3);
        }

        await controller.EvaluateAsync();

        Assert.Equal(5, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_TooFewSamples_KeepsRate()
    {
        var controller = Controller();
        controller.Record(TimeSpan.FromMilliseconds(50), serverFailure: false);

        Assert.Null(await controller.EvaluateAsync());
        Assert.Equal(10, await RateAsync(), 3);
    }
}
