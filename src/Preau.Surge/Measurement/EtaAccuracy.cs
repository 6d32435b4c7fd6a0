namespace Preau.Surge.Measurement;

/// <summary>What the gate promised one person when first queued, and how long they really waited; when the
/// promise was shown (seconds since the run began) and at which position, to read errors along the morning.</summary>
internal sealed record EtaSample(double PromisedLowSeconds, double PromisedHighSeconds, double ActualSeconds, double AtSeconds = 0, long? Position = null);

internal sealed record EtaSummary(int Samples, double WithinToleranceShare, double WithinRangeShare, double MedianRelativeError, double P90RelativeError, double Tolerance);

/// <summary>
/// A promise is "accurate" when the middle of the promised range is within ±tolerance of the
/// real wait. The gate speaks in whole seconds, so an error of one second is always forgiven:
/// "2–3 s" for a real 1.4 s is not a broken promise anyone would notice.
/// </summary>
internal static class EtaAccuracy
{
    public const double DefaultTolerance = 0.25;
    public const double ResolutionSeconds = 1.0;

    public static bool IsAccurate(EtaSample sample, double tolerance = DefaultTolerance)
    {
        var promised = (sample.PromisedLowSeconds + sample.PromisedHighSeconds) / 2;
        var allowed = Math.Max(tolerance * sample.ActualSeconds, ResolutionSeconds);
        return Math.Abs(promised - sample.ActualSeconds) <= allowed;
    }

    public static double RelativeError(EtaSample sample)
    {
        var promised = (sample.PromisedLowSeconds + sample.PromisedHighSeconds) / 2;
        return Math.Abs(promised - sample.ActualSeconds) / Math.Max(sample.ActualSeconds, ResolutionSeconds);
    }

    public static EtaSummary Summarize(IReadOnlyCollection<EtaSample> samples, double tolerance = DefaultTolerance)
    {
        if (samples.Count == 0)
        {
            return new EtaSummary(0, 0, 0, 0, 0, tolerance);
        }

        var accurate = samples.Count(s => IsAccurate(s, tolerance));
        var inRange = samples.Count(s => s.ActualSeconds >= s.PromisedLowSeconds - ResolutionSeconds
            && s.ActualSeconds <= s.PromisedHighSeconds + ResolutionSeconds);
        var errors = samples.Select(RelativeError).Order().ToArray();
        return new EtaSummary(samples.Count, (double)accurate / samples.Count, (double)inRange / samples.Count,
            Quantile(errors, 0.5), Quantile(errors, 0.9), tolerance);
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
}
