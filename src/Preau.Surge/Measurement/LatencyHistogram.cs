using HdrHistogram;

namespace Preau.Surge.Measurement;

internal sealed record Percentiles(long Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static readonly Percentiles Empty = new(0, 0, 0, 0, 0);
}

/// <summary>HDR histogram in microseconds (1 µs to 1 h, 3 significant digits), safe to record from many users.</summary>
internal sealed class LatencyHistogram
{
    private static readonly long Highest = TimeSpan.FromHours(1).Ticks / TimeSpan.TicksPerMicrosecond;
    private readonly LongHistogram _histogram;
    private readonly Lock _lock = new();

    public LatencyHistogram(int significantDigits = 3)
    {
        _histogram = new LongHistogram(Highest, significantDigits);
    }

    public void Record(TimeSpan value)
    {
        var micros = Math.Clamp(value.Ticks / TimeSpan.TicksPerMicrosecond, 1, Highest);
        lock (_lock)
        {
            _histogram.RecordValue(micros);
        }
    }

    public void AddTo(LatencyHistogram target)
    {
        lock (_lock)
        {
            lock (target._lock)
            {
                target._histogram.Add(_histogram);
            }
        }
    }

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _histogram.TotalCount;
            }
        }
    }

    public double PercentileMs(double percentile)
    {
        lock (_lock)
        {
            return _histogram.TotalCount == 0 ? 0 : _histogram.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public Percentiles Snapshot()
    {
        lock (_lock)
        {
            if (_histogram.TotalCount == 0)
            {
                return Percentiles.Empty;
            }

            return new Percentiles(_histogram.TotalCount, _histogram.GetValueAtPercentile(50) / 1000.0,
                _histogram.GetValueAtPercentile(95) / 1000.0, _histogram.GetValueAtPercentile(99) / 1000.0,
                _histogram.GetMaxValue() / 1000.0);
        }
    }
}
