namespace Preau.Surge.Measurement;

/// <summary>
/// The rule against coordinated omission: a request is charged from when it should have
/// started, not from when the generator managed to send it. If the generator (or a full
/// connection pool) held it back, the person still waited.
/// </summary>
internal static class LatencyAccounting
{
    public static TimeSpan Charged(TimeSpan intendedStart, TimeSpan end) => end > intendedStart ? end - intendedStart : TimeSpan.Zero;

    /// <summary>How late the generator itself was in sending; reported as its own overhead.</summary>
    public static TimeSpan Lag(TimeSpan intendedStart, TimeSpan actualStart) => actualStart > intendedStart ? actualStart - intendedStart : TimeSpan.Zero;
}
