using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>
/// Keeps a recent snapshot of the queue (refreshed at most every two seconds, so that pages and metrics
/// never add load on the store) and measures how fast each lane's watermark moves over the last minute.
/// </summary>
internal sealed class GateMonitor(IGateStore store, GateLimits limits, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MinMeasure = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, Dictionary<string, long> Watermarks)> _history = new();
    private GateSnapshot? _snapshot;
    private DateTimeOffset _takenAt = DateTimeOffset.MinValue;

    public GateSnapshot? Last
    {
        get
        {
            lock (_lock)
            {
                return _snapshot;
            }
        }
    }

    public async Task<GateSnapshot> GetAsync()
    {
        var now = time.GetUtcNow();
        GateSnapshot? cached;
        lock (_lock)
        {
            cached = _snapshot;
            if (cached is not null && now - _takenAt < Freshness)
            {
                return cached;
            }
        }
        if (cached is not null && !await _refresh.WaitAsync(0))
        {
            return cached; // someone else is refreshing
        }
        if (cached is null)
        {
            await _refresh.WaitAsync();
        }
        try
        {
            return await RefreshAsync();
        }
        finally
        {
            _refresh.Release();
        }
    }

    public async Task<GateSnapshot> RefreshAsync()
    {
        if (await store.ReadLimitsAsync() is { } published)
        {
            limits.ApplyPublished(published);
        }
        var snapshot = await store.SnapshotAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), limits.Policy);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _snapshot = snapshot;
            _takenAt = now;
            _history.Enqueue((now, snapshot.Lanes.ToDictionary(l => l.Lane, l => l.Watermark)));
            while (_history.Count > 2 && now - _history.Peek().At > Window)
            {
                _history.Dequeue();
            }
        }
        return snapshot;
    }

    /// <summary>
    /// Admissions per second in <paramref name="lane"/>. Measured over the last minute; but while places
    /// are free and people wait, the queue drains at the admission rate itself, and a minute-long
    /// average lags behind it (it still holds the seconds before the backlog and the fair-start draw,
    /// and the adaptive rate has grown since): then the current rate, split between lanes as they
    /// were really served, is the better guess. Before ten seconds of history exist, the current
    /// admission rate split by reserved shares among waiting lanes stands in.
    /// </summary>
    public double LaneRate(string lane, GateSnapshot snapshot)
    {
        double? measured = null;
        double measuredTotal = 0;
        lock (_lock)
        {
            if (_history.Count >= 2)
            {
                var (oldestAt, oldest) = _history.Peek();
                var elapsed = _takenAt - oldestAt;
                if (elapsed >= MinMeasure && oldest.TryGetValue(lane, out var from))
                {
                    var to = snapshot.Lanes.FirstOrDefault(l => l.Lane == lane)?.Watermark ?? from;
                    measured = Math.Max(0, (to - from) / elapsed.TotalSeconds);
                    measuredTotal = snapshot.Lanes.Sum(l => oldest.TryGetValue(l.Lane, out var f) ? Math.Max(0, l.Watermark - f) : 0) / elapsed.TotalSeconds;
                }
            }
        }

        var estimated = Estimated(lane, snapshot);
        if (measured is not { } rate)
        {
            return estimated;
        }

        if (snapshot.WaitingTotal > 0 && snapshot.ActiveTotal < limits.Policy.MaxActive)
        {
            var fraction = measuredTotal > 0 ? rate / measuredTotal : estimated / Math.Max(snapshot.Rate, 1e-9);
            return Math.Max(rate, snapshot.Rate * fraction);
        }

        // zero is an answer too: a queue that has not moved for a minute while every place is taken
        // shows "plus de 2 heures"
        return rate;
    }

    private double Estimated(string lane, GateSnapshot snapshot)
    {
        var policy = limits.Policy;
        var waiting = policy.Lanes.Where(l => snapshot.Lanes.Any(s => s.Lane == l.Name && s.Waiting > 0) || l.Name == lane).ToList();
        var rule = waiting.FirstOrDefault(l => l.Name == lane);
        if (rule is null)
        {
            return snapshot.Rate;
        }
        var top = waiting.Min(l => l.Priority);
        if (rule.Priority == top && waiting.Count(l => l.Priority == top) == 1)
        {
            return snapshot.Rate;
        }
        var total = waiting.Where(l => l.Priority == rule.Priority).Sum(l => l.Share);
        return total > 0 ? snapshot.Rate * rule.Share / total : snapshot.Rate / waiting.Count;
    }
}
