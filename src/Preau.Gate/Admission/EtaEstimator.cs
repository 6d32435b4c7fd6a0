namespace Preau.Gate.Admission;

/// <summary>Why a wait shown was allowed to rise.</summary>
internal enum EtaRise
{
    None,
    CapacityDropped,
    SlowerThanPromised,
}

/// <summary>A wait range in seconds, and why it rose if it did.</summary>
internal sealed record EtaRange(int Low, int High, EtaRise Rise);

/// <summary>A wait: its centre in seconds and its relative uncertainty (one standard deviation).</summary>
internal readonly record struct WaitEstimate(double CenterSeconds, double Sigma)
{
    /// <summary>Nothing measured yet to put a number on the wait (no stay ended while every place is held).</summary>
    public static WaitEstimate Estimating { get; } = new(-1, 0);
}

/// <summary>Turns an estimated wait into an honest range that never rises silently.</summary>
internal static class EtaEstimator
{
    /// <summary>Longest wait worth computing; beyond it the page says so.</summary>
    public const int MaxSeconds = 2 * 3600;

    /// <summary>
    /// At least −20 % / +25 % around the centre; wider when the rate behind it is uncertain (few departures
    /// measured, or a short queue whose next departures are a matter of luck): one standard deviation each way.
    /// </summary>
    public static (int Low, int High) Range(WaitEstimate estimate)
    {
        var center = estimate.CenterSeconds;
        if (center < 0)
        {
            return (0, MaxSeconds); // anywhere from now to the longest: worded "being estimated"
        }
        if (double.IsNaN(center) || double.IsInfinity(center) || center >= MaxSeconds)
        {
            return (MaxSeconds, MaxSeconds);
        }
        var sigma = Math.Max(0, estimate.Sigma);
        var low = (int)Math.Min(MaxSeconds, Math.Floor(center * Math.Clamp(1 - sigma, 0.2, 0.8)));
        var high = (int)Math.Min(MaxSeconds, Math.Ceiling(center * Math.Max(1.25, 1 + sigma)));
        return (low, Math.Max(high, low));
    }

    /// <summary>True for the range of a wait still being estimated (see <see cref="WaitEstimate.Estimating"/>).</summary>
    public static bool IsEstimating(int low, int high) => low == 0 && high >= MaxSeconds;

    /// <summary>The range for a position at a fixed rate (admission rate while places are free).</summary>
    public static (int Low, int High) Compute(long position, double perSecond) =>
        perSecond <= 0 ? (MaxSeconds, MaxSeconds) : Range(new WaitEstimate(position / perSecond, 0));

    /// <summary>
    /// Never shows a higher range than last time, unless the capacity epoch moved (the admission rate was cut
    /// or an operator lowered the limits), or the new estimate starts above the old range's end (places free
    /// up more slowly than measured before): then the new range is shown and the page says why. A wait still being
    /// estimated gives way to the first number known; a number shown is not withdrawn for "being estimated".
    /// </summary>
    public static EtaRange Next((int Low, int High) computed, GateTicket? previous, long epoch)
    {
        if (previous is null || !previous.HasEta)
        {
            return new EtaRange(computed.Low, computed.High, EtaRise.None);
        }
        var estimating = IsEstimating(computed.Low, computed.High);
        if (epoch > previous.Epoch)
        {
            return new EtaRange(computed.Low, computed.High, computed.High > previous.EtaHigh || estimating ? EtaRise.CapacityDropped : EtaRise.None);
        }
        if (IsEstimating(previous.EtaLow, previous.EtaHigh))
        {
            return new EtaRange(computed.Low, computed.High, EtaRise.None); // the first number shown
        }
        if (estimating)
        {
            return new EtaRange(previous.EtaLow, previous.EtaHigh, EtaRise.None); // a number shown is kept, not withdrawn
        }
        if (computed.Low > previous.EtaHigh)
        {
            return new EtaRange(computed.Low, computed.High, EtaRise.SlowerThanPromised);
        }
        var high = Math.Min(computed.High, previous.EtaHigh);
        var low = Math.Min(Math.Min(computed.Low, previous.EtaLow), high);
        return new EtaRange(low, high, EtaRise.None);
    }

    /// <summary>Wording of a range: "entre 3 et 5 minutes", "moins d'une minute" with the default texts.</summary>
    public static string Describe(int low, int high, GateTexts texts)
    {
        if (IsEstimating(low, high))
        {
            return texts.EtaEstimating;
        }
        if (high >= MaxSeconds)
        {
            return texts.EtaOverMax;
        }
        if (high <= 60)
        {
            return texts.EtaUnderAMinute;
        }
        var lowMin = low / 60;
        var highMin = Math.Max(lowMin + 1, (high + 59) / 60);
        return lowMin == 0 ? texts.Format(texts.EtaUpTo, highMin) : texts.Format(texts.EtaBetween, lowMin, highMin);
    }
}
