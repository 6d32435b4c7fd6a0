using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Admission;

public sealed class AdmissionControllerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryGateStore _store = new();
    private readonly GateLimits _limits = new(new GateOptions { InitialAdmissionsPerSecond = 10, MaxAdmissionsPerSecond = 50, MinSamplesToIncrease = 5 });

    private AdmissionController Controller() => new(_store, _limits, new GateMonitor(_store, _limits, _time), _time, NullLogger<AdmissionController>.Instance);

    private async Task<AdmissionController> ControllerWithQueueAsync()
    {
        var monitor = new GateMonitor(_store, _limits, _time);
        for (var i = 0; i < 15; i++) // ten come in at once (one second of the initial rate), five wait
        {
            await _store.EnterAsync(new EnterCommand($"v:{i}", "Pupil", null, _time.GetUtcNow().ToUnixTimeMilliseconds(), 0.5, _limits.Policy with { FairStartMs = 0 }));
        }
        await monitor.RefreshAsync();
        return new AdmissionController(_store, _limits, monitor, _time, NullLogger<AdmissionController>.Instance);
    }

    private async Task<double> RateAsync() => (await _store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), _limits.Policy)).Rate;

    [Fact]
    public async Task EvaluateAsync_FastRequestsWithoutErrorsWhilePeopleWait_RaisesRateByOneStep()
    {
        var controller = await ControllerWithQueueAsync();
        for (var i = 0; i < 50; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(80), serverError: false);
        }

        await controller.EvaluateAsync();

        Assert.Equal(12, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_FastRequestsButNobodyWaiting_KeepsRate()
    {
        var controller = Controller();
        for (var i = 0; i < 50; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(80), serverError: false);
        }

        Assert.Null(await controller.EvaluateAsync());
        Assert.Equal(10, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_P95AboveTarget_HalvesRate()
    {
        var controller = Controller();
        for (var i = 0; i < 90; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(100), serverError: false);
        }
        for (var i = 0; i < 10; i++)
        {
            controller.Record(TimeSpan.FromMilliseconds(900), serverError: false);
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
            controller.Record(TimeSpan.FromMilliseconds(50), serverError: i == 3);
        }

        await controller.EvaluateAsync();

        Assert.Equal(5, await RateAsync(), 3);
    }

    [Fact]
    public async Task EvaluateAsync_TooFewSamples_KeepsRate()
    {
        var controller = Controller();
        controller.Record(TimeSpan.FromMilliseconds(50), serverError: false);

        Assert.Null(await controller.EvaluateAsync());
        Assert.Equal(10, await RateAsync(), 3);
    }
}
