using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests;

/// <summary>Options as a host supplies them (three lanes, staff first), for tests that build the gate by hand.</summary>
internal static class TestOptions
{
    public static GateOptions Create(Action<GateOptions>? configure = null)
    {
        var options = new GateOptions();
        options.Lanes["Staff"] = new GateLaneOptions { Share = 15, Priority = 0, Profiles = ["Teacher", "Staff"] };
        options.Lanes["Pupil"] = new GateLaneOptions { Share = 70, Priority = 1, Profiles = ["Pupil"] };
        options.Lanes["Parent"] = new GateLaneOptions { Share = 15, Priority = 1, Profiles = ["Parent"] };
        options.AnonymousLane = "Pupil";
        configure?.Invoke(options);
        options.ApplyDefaults();
        return options;
    }

    /// <summary>Limits for promise tests: no fair-start draw, and nobody forgotten (only the test polls).</summary>
    public static GateLimits PromiseLimits(int maxActive, double initialRate, double maxRate) =>
        new(Create(o =>
        {
            o.MaxActiveUsers = maxActive;
            o.InitialAdmissionsPerSecond = initialRate;
            o.MinAdmissionsPerSecond = 1;
            o.MaxAdmissionsPerSecond = maxRate;
            o.FairStartWindow = TimeSpan.Zero;
            o.RefreshSeconds = 3600;
        }));

    public static GateMetrics Metrics(GateMonitor monitor, IGateStore store) =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), monitor, store);
}
