using Microsoft.Extensions.Logging;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>
/// AIMD on the admission rate: each control interval, if admitted requests stayed under the latency target
/// (p95) with no server error, add a fixed step; otherwise multiply by a factor below one. The rate lives in
/// the store, so every node's evidence counts and a cut decided by one node applies to all.
/// </summary>
internal sealed partial class AdmissionController(
    IGateStore store,
    GateLimits limits,
    GateMonitor monitor,
    TimeProvider time,
    ILogger<AdmissionController> logger)
{
    private const int MaxSamples = 4096;

    private readonly Lock _lock = new();
    private readonly List<double> _latenciesMs = new(MaxSamples);
    private long _seen;
    private int _errors;

    public void Record(TimeSpan duration, bool serverError)
    {
        lock (_lock)
        {
            _seen++;
            if (serverError)
            {
                _errors++;
            }
            if (_latenciesMs.Count < MaxSamples)
            {
                _latenciesMs.Add(duration.TotalMilliseconds);
            }
            else
            {
                // reservoir sampling keeps a fair picture of a busy interval in bounded memory
                var slot = Random.Shared.NextInt64(_seen);
                if (slot < MaxSamples)
                {
                    _latenciesMs[(int)slot] = duration.TotalMilliseconds;
                }
            }
        }
    }

    /// <summary>Takes one AIMD step from the samples recorded since the last call; null when there was nothing to learn.</summary>
    public async Task<RateChange?> EvaluateAsync()
    {
        double[] samples;
        int errors;
        lock (_lock)
        {
            samples = [.. _latenciesMs];
            errors = _errors;
            _latenciesMs.Clear();
            _errors = 0;
            _seen = 0;
        }
        var options = limits.Options;
        var target = limits.Current.LatencyTarget.TotalMilliseconds;
        RateSignal? signal = null;
        var p95 = Percentile95(samples);
        if (errors > 0 || (samples.Length > 0 && p95 > target))
        {
            signal = RateSignal.Decrease;
        }
        else if (samples.Length >= options.MinSamplesToIncrease && monitor.Last is { WaitingTotal: > 0 })
        {
            // only while people wait: a rate that grew during a quiet hour says nothing about what the servers hold

            signal = RateSignal.Increase;
        }
        if (signal is null)
        {
            return null;
        }
        var change = await store.AdjustRateAsync(
            signal.Value,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            (long)options.ControlInterval.TotalMilliseconds,
            options.RateIncreaseStep,
            options.RateDecreaseFactor,
            limits.Policy);
        if (signal == RateSignal.Decrease)
        {
            LogDecrease(logger, p95, errors, change.Rate);
        }
        return change;
    }

    internal static double Percentile95(double[] samples)
    {
        if (samples.Length == 0)
        {
            return 0;
        }
        Array.Sort(samples);
        var index = (int)Math.Ceiling(0.95 * samples.Length) - 1;
        return samples[Math.Clamp(index, 0, samples.Length - 1)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission rate cut: p95 {P95} ms, {Errors} errors, now {Rate} users/s")]
    private static partial void LogDecrease(ILogger logger, double p95, int errors, double rate);
}
