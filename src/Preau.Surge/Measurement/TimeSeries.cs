namespace Preau.Surge.Measurement;

/// <summary>One-second buckets for the plots. Counters are lock-free; per-second latency uses a coarse histogram created on first use.</summary>
internal sealed class TimeSeries(int seconds)
{
    private readonly long[] _arrivals = new long[seconds];
    private readonly long[] _admitted = new long[seconds];
    private readonly long[] _completed = new long[seconds];
    private readonly long[] _errors = new long[seconds];
    private readonly long[] _queued = new long[seconds];
    private readonly long[] _active = new long[seconds];
    private readonly bool[] _sampled = new bool[seconds];
    private readonly long[] _queuePosition = new long[seconds];
    private readonly long[] _requests = new long[seconds];
    private readonly long[] _signIns = new long[seconds];
    private readonly LatencyHistogram?[] _latency = new LatencyHistogram?[seconds];

    public int Seconds => seconds;

    private int Bucket(TimeSpan at) => Math.Clamp((int)at.TotalSeconds, 0, seconds - 1);

    public void Arrival(TimeSpan at) => Interlocked.Increment(ref _arrivals[Bucket(at)]);

    public void Admitted(TimeSpan at) => Interlocked.Increment(ref _admitted[Bucket(at)]);

    public void Completed(TimeSpan at) => Interlocked.Increment(ref _completed[Bucket(at)]);

    public void Request(TimeSpan at) => Interlocked.Increment(ref _requests[Bucket(at)]);

    public void SignIn(TimeSpan at) => Interlocked.Increment(ref _signIns[Bucket(at)]);

    public void Error(TimeSpan at) => Interlocked.Increment(ref _errors[Bucket(at)]);

    public void QueuePosition(TimeSpan at, long position)
    {
        ref var slot = ref _queuePosition[Bucket(at)];
        long seen;
        while ((seen = Volatile.Read(ref slot)) < position && Interlocked.CompareExchange(ref slot, position, seen) != seen)
        {
        }
    }

    /// <summary>Gauges, sampled once a second by the progress loop.</summary>
    public void Sample(TimeSpan at, long active, long queued)
    {
        var b = Bucket(at);
        Volatile.Write(ref _active[b], active);
        Volatile.Write(ref _queued[b], queued);
        Volatile.Write(ref _sampled[b], true);
    }

    /// <summary>The sampling timer drifts, so a second may hold no sample: it shows the last value seen, not a false zero.</summary>
    private long[] Gauge(long[] values, int n)
    {
        var filled = values[..n];
        for (var i = 1; i < n; i++)
        {
            if (!_sampled[i])
            {
                filled[i] = filled[i - 1];
            }
        }

        return filled;
    }

    public void Latency(TimeSpan at, TimeSpan latency)
    {
        var b = Bucket(at);
        var histogram = Volatile.Read(ref _latency[b]);
        if (histogram is null)
        {
            // 2 digits is plenty for a plot and keeps one bucket around 50 KB.
            Interlocked.CompareExchange(ref _latency[b], new LatencyHistogram(2), null);
            histogram = _latency[b]!;
        }

        histogram.Record(latency);
    }

    public SeriesSnapshot Snapshot(int usedSeconds)
    {
        var n = Math.Clamp(usedSeconds, 1, seconds);
        return new SeriesSnapshot(
            _arrivals[..n], Gauge(_queued, n), _queuePosition[..n], _admitted[..n], Gauge(_active, n), _completed[..n], _errors[..n], _requests[..n], _signIns[..n],
            _latency[..n].Select(h => h?.PercentileMs(95) ?? 0).ToArray(),
            _latency[..n].Select(h => h?.PercentileMs(99) ?? 0).ToArray());
    }
}

internal sealed record SeriesSnapshot(long[] Arrivals, long[] Queued, long[] MaxQueuePosition, long[] Admitted, long[] Active,
    long[] Completed, long[] Errors, long[] Requests, long[] SignIns, double[] LatencyP95Ms, double[] LatencyP99Ms);
