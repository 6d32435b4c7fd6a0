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
        var policy = limits.Policy;
        for (var i = 0; i < 3000; i++)
        {
            await _store.EnterAsync(new EnterCommand($"v:{i}", "Pupil", null, Now, 0.5, policy));
        }

        (int Low, int High)? promised = null;
        DateTimeOffset since = default;
        double? real = null;
        for (var second = 1; second <= 400 && real is null; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            if (second % 10 == 0)
            {
                var signal = second % 20 == 10 ? RateSignal.Decrease : RateSignal.Increase;
                await _store.AdjustRateAsync(signal, Now, 10_000, 10, 0.5, policy);
            }
            await _store.EnterAsync(new EnterCommand("v:pump", "Pupil", null, Now, 0.5, policy)); // someone polls each second
            var snapshot = await monitor.RefreshAsync();
            if (second == 55)
            {
                // the rate was just cut to 10/s; it will be back at 20/s in five seconds, as it was before
                var probe = await _store.EnterAsync(new EnterCommand("v:probe", "Pupil", null, Now, 0.5, policy));
                promised = EtaEstimator.Range(monitor.Estimate("Pupil", probe.Position, snapshot));
                since = _time.GetUtcNow();
            }
            else if (promised is not null && (await _store.EnterAsync(new EnterCommand("v:probe", "Pupil", null, Now, 0.5, policy))).Outcome == EnterOutcome.Admitted)
            {
                real = (_time.GetUtcNow() - since).TotalSeconds;
            }
        }

        Assert.NotNull(real);
        Assert.True(PromiseLedger.Holds(promised!.Value.Low, promised.Value.High, real.Value),
            string.Create(CultureInfo.InvariantCulture, $"promised {promised.Value.Low}–{promised.Value.High} s, waited {real} s"));
    }
}
