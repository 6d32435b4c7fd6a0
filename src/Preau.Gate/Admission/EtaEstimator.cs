namespace Preau.Gate.Admission;

/// <summary>A wait range in seconds, and whether it was allowed to rise because capacity really dropped.</summary>
internal sealed record EtaRange(int Low, int High, bool RoseAfterCapacityDrop);

/// <summary>Turns a position and a measured admission rate into an honest range that never rises silently.</summary>
internal static class EtaEstimator
{
    /// <summary>Longest wait worth computing; beyond it the page says "plus de 2 heures".</summary>
    public const int MaxSeconds = 2 * 3600;

    /// <summary>
    /// The range is ±25% around position ÷ rate: the measured rate moves with every idle release and login,
    /// and a range that is right beats a precise number that is wrong.
    /// </summary>
    public static (int Low, int High) Compute(long position, double admissionsPerSecond)
    {
        if (admissionsPerSecond <= 0)
        {
            return (MaxSeconds, MaxSeconds);
        }
        var center = position / admissionsPerSecond;
        var low = (int)Math.Min(MaxSeconds, Math.Floor(center * 0.8));
        var high = (int)Math.Min(MaxSeconds, Math.Ceiling(center * 1.25));
        return (low, Math.Max(high, low));
    }

    /// <summary>
    /// Never shows a higher range than last time, unless the capacity epoch moved (the admission rate was cut
    /// or an operator lowered the limits): then the new range is shown and the page says why.
    /// </summary>
    public static EtaRange Next((int Low, int High) computed, GateTicket? previous, long epoch)
    {
        if (previous is null || !previous.HasEta)
        {
            return new EtaRange(computed.Low, computed.High, false);
        }
        var capacityDropped = epoch > previous.Epoch;
        if (capacityDropped)
        {
            var rose = computed.High > previous.EtaHigh;
            return new EtaRange(computed.Low, computed.High, rose);
        }
        var high = Math.Min(computed.High, previous.EtaHigh);
        var low = Math.Min(Math.Min(computed.Low, previous.EtaLow), high);
        return new EtaRange(low, high, false);
    }

    /// <summary>French wording of a range: "entre 3 et 5 minutes", "moins d'une minute".</summary>
    public static string Describe(int low, int high)
    {
        if (high >= MaxSeconds)
        {
            return "plus de 2 heures";
        }
        if (high <= 60)
        {
            return "moins d'une minute";
        }
        var lowMin = low / 60;
        var highMin = Math.Max(lowMin + 1, (high + 59) / 60);
        return lowMin == 0 ? $"moins de {highMin} minutes" : $"entre {lowMin} et {highMin} minutes";
    }
}
