using Microsoft.Extensions.Logging;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>
/// AIMD on the admission rate, moved by real overload only: each control interval, the rate is cut when the
/// server failed through its own fault (timeouts, unreachable database), when the thread pool stayed saturated,
/// or when the p95 latency of enough admitted requests exceeded the target; it grows by a step when the
/// interval was healthy while people waited. A request's own bad input (a 4xx, or a 500 thrown by its
/// parameters) and the warm-up after start move nothing. The rate lives in the store, so every node's evidence
/// counts and a cut decided by one node applies to all.
/// </summary>
internal sealed partial class AdmissionController
{
    private const int MaxSamples = 4096;
    private const int KeptDecisions = 30;

    /// <summary>Share of sign-ins held by the host's sign-in lane above which admissions are cut.</summary>
    private const double SignInHeldShareLimit = 0.2;

    /// <summary>A cut that leaves the rate above this share of what it was does not unsettle the promise.</summary>
    private const double SettledDropLimit = 0.9;

    /// <summary>
    /// Healthy intervals at the maximum rate, with people waiting, after which the slow start's rate is settled: the
    /// node has served the ceiling's pace and is not overloaded by it.
    /// </summary>
    private const int HealthyIntervalsAtCeiling = 2;

    private readonly IGateStore _store;
    private readonly GateLimits _limits;
    private readonly GateMonitor _monitor;
    private readonly GateMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AdmissionController> _logger;
    private readonly DateTimeOffset _startedAt;
    private readonly Lock _lock = new();
    private readonly List<double> _latenciesMs = new(MaxSamples);
    private readonly Queue<GateControlDecision> _decisions = new();
    private long _seen;
    private int _serverFailures;
    private int _inputFailures;
    private double _queueSum;
    private int _queueSamples;
    private int _signIns;
    private int _signInsHeld;
    private DateTimeOffset _lastCut = DateTimeOffset.MinValue;
    private bool _slowStart = true;
    private int _healthyAtCeiling;
    private double _lastRate = double.NaN;
    private long? _lastEpoch;
    private DateTimeOffset _lastEvaluation;

    public AdmissionController(IGateStore store, GateLimits limits, GateMonitor monitor, GateMetrics metrics, TimeProvider time, ILogger<AdmissionController> logger)
    {
        _store = store;
        _limits = limits;
        _monitor = monitor;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _startedAt = time.GetUtcNow();
        _lastEvaluation = _startedAt;
        if (store is FallbackGateStore shared)
        {
            Nodes = () => Math.Max(1, shared.NodesSeen); // the nodes heartbeating into Redis
        }
        monitor.RateSettled = FixedRate; // slow start, unless the rate cannot move
    }

    /// <summary>
    /// An operator fixed the rate (initial = maximum): there is no capacity to look for. A slow start that reaches
    /// the maximum has not found the node's capacity, only the ceiling: its first cut can come after (50, then 25
    /// users/s), so it is settled only once the node stayed healthy at the ceiling (<see cref="HealthyIntervalsAtCeiling"/>).
    /// </summary>
    private bool FixedRate => _limits.Policy.InitialRate >= _limits.Policy.MaxRate;

    /// <summary>Nodes sharing the admission rate (each measures only the sign-ins it answers); replaced by the host.</summary>
    internal Func<int> Nodes { get; set; } = static () => 1;

    /// <summary>Sign-ins per second the host completed, all nodes together, over the last interval in which its
    /// sign-in lane held some (the lane was the limit); null until that happened.</summary>
    public double? SignInCapacity { get; private set; }

    /// <summary>Work items waiting in the thread pool; replaced by tests.</summary>
    internal Func<long> PendingWorkItems { get; set; } = static () => ThreadPool.PendingWorkItemCount;

    /// <summary>True for two control intervals after a cut: the node is overloaded, newcomers without a ticket wait.</summary>
    public bool Overloaded
    {
        get
        {
            lock (_lock)
            {
                return _time.GetUtcNow() - _lastCut < 2 * _limits.Options.ControlInterval;
            }
        }
    }

    /// <summary>Last decisions, most recent first.</summary>
    public IReadOnlyList<GateControlDecision> Decisions
    {
        get
        {
            lock (_lock)
            {
                return [.. _decisions.Reverse()];
            }
        }
    }

    /// <summary>One admitted request: its duration as measured in the server, and whether it failed and whose fault that was.</summary>
    public void Record(TimeSpan duration, bool serverFailure, bool inputFailure = false)
    {
        _metrics.Latency(duration.TotalMilliseconds);
        lock (_lock)
        {
            _seen++;
            if (serverFailure)
            {
                _serverFailures++;
            }
            else if (inputFailure)
            {
                _inputFailures++;
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

    /// <summary>
    /// One sign-in POST answered by the host; <paramref name="held"/> when its sign-in lane was full and held it
    /// (the answer carries <c>Preau-Gate: held</c>). People admitted faster than they can sign in only wait there.
    /// </summary>
    public void RecordSignIn(bool held)
    {
        lock (_lock)
        {
            _signIns++;
            if (held)
            {
                _signInsHeld++;
            }
        }
    }

    /// <summary>Called every second: how many work items wait in the thread pool.</summary>
    public void SampleThreadPool()
    {
        var pending = PendingWorkItems();
        lock (_lock)
        {
            _queueSum += pending;
            _queueSamples++;
        }
    }

    /// <summary>Takes one AIMD step from what was recorded since the last call; null when there was nothing to learn.</summary>
    public async Task<RateChange?> EvaluateAsync()
    {
        double[] samples;
        int serverFailures, inputFailures, signIns, held;
        double queue;
        lock (_lock)
        {
            samples = [.. _latenciesMs];
            serverFailures = _serverFailures;
            inputFailures = _inputFailures;
            queue = _queueSamples == 0 ? 0 : _queueSum / _queueSamples;
            (signIns, held) = (_signIns, _signInsHeld);
            (_signIns, _signInsHeld) = (0, 0);
            _latenciesMs.Clear();
            _serverFailures = 0;
            _inputFailures = 0;
            _seen = 0;
            _queueSum = 0;
            _queueSamples = 0;
        }
        var options = _limits.Options;
        var now = _time.GetUtcNow();
        var seconds = Math.Max((now - _lastEvaluation).TotalSeconds, options.ControlInterval.TotalSeconds);
        _lastEvaluation = now;
        if (held > 0)
        {
            // the lane was full: what it let through is what the host can sign in, measured rather than guessed;
            // averaged over the intervals, since one interval's count swings by a third and each cut took the
            // lowest of them (the closure morning's rate slid from 20 to 12 users/s while the lane did 15–25)
            var measured = (signIns - held) / seconds * Math.Max(1, Nodes());
            SignInCapacity = SignInCapacity is { } previous ? (previous + measured) / 2 : measured;
        }
        var p95 = Percentile95(samples);
        _metrics.ControllerP95 = p95;
        var waiting = _monitor.Last is { WaitingTotal: > 0 };
        var before = _monitor.Last?.Rate ?? _limits.Policy.InitialRate;

        RateSignal? signal = null;
        string reason;
        if (serverFailures > 0)
        {
            signal = RateSignal.Decrease;
            reason = "server-failures";
        }
        else if (queue > options.ThreadPoolQueueLimit)
        {
            signal = RateSignal.Decrease;
            reason = "thread-pool";
        }
        else if (samples.Length >= options.MinSamplesToDecrease && p95 > _limits.Current.LatencyTarget.TotalMilliseconds)
        {
            signal = RateSignal.Decrease;
            reason = "latency";
        }
        else if (held >= options.MinSamplesToDecrease && held >= signIns * SignInHeldShareLimit)
        {
            signal = RateSignal.Decrease;
            reason = "sign-in-lane";
        }
        else if (held > 0)
        {
            reason = "sign-in-lane"; // the host's sign-in lane is full now and then: more admissions would only wait there
        }
        else if (!waiting)
        {
            // only while people wait: a rate that grew during a quiet hour says nothing about what the servers hold
            reason = samples.Length == 0 ? "idle" : "no-queue";
        }
        else if (samples.Length < options.MinSamplesToIncrease)
        {
            reason = "too-few-samples";
        }
        else
        {
            signal = RateSignal.Increase;
            reason = "healthy";
        }

        if (signal == RateSignal.Decrease && now - _startedAt < options.WarmUp)
        {
            // first requests are slow for JIT and cold caches, not for load; a healthy warm-up may still grow the rate
            (signal, reason) = (null, "warm-up");
        }

        RateChange? change = null;
        var after = before;
        if (signal is { } s)
        {
            // slow start: until the first cut the rate doubles at each healthy interval, so that the capacity is
            // found within a few intervals and the waits promised meanwhile rest on a rate that soon stops moving
            var known = double.IsNaN(_lastRate) ? before : Math.Max(before, _lastRate); // the snapshot may be two seconds old
            var step = _slowStart ? Math.Max(options.RateIncreaseStep, known) : options.RateIncreaseStep;
            var factor = options.RateDecreaseFactor;
            if (reason == "sign-in-lane" && SignInCapacity is { } capacity && known > 0)
            {
                // admit at the pace people can sign in, not half of it: a blind halving left the queue crawling
                // below what the lane could take, and the next growth overshot it again
                factor = Math.Clamp(capacity / known, options.RateDecreaseFactor, 1);
            }
            change = await _store.AdjustRateAsync(
                s,
                now.ToUnixTimeMilliseconds(),
                (long)options.ControlInterval.TotalMilliseconds,
                step,
                factor,
                _limits.Policy);
            after = change.Rate;
            if (s == RateSignal.Decrease)
            {
                // the node met a limit, even when the rate already sat at it (a cut to the sign-in capacity that
                // changed nothing): the capacity is found
                _slowStart = false;
            }
            // a node whose capacity is above the ceiling is never cut: at the ceiling and healthy with people waiting,
            // the rate cannot move but by a cut, as after one. Never settled there, a fast node gave no number on the
            // whole closure morning (BENCHMARKS.md §31).
            _healthyAtCeiling = reason == "healthy" && before >= _limits.Policy.MaxRate - 1e-9 ? _healthyAtCeiling + 1 : 0;
            if (_lastEpoch is { } seen && change.CapacityEpoch > seen)
            {
                _slowStart = false; // a cut, here or on another node: the capacity is found
            }
            if (!_slowStart && _monitor.SlowStartEndedAt == DateTimeOffset.MinValue)
            {
                _monitor.SlowStartEndedAt = now;
            }
            _lastEpoch = change.CapacityEpoch;
            _lastRate = after;
        }
        var decision = signal switch
        {
            RateSignal.Decrease => "decrease",
            RateSignal.Increase => "increase",
            _ => "hold",
        };
        if (signal is not null && Math.Abs(after - before) < 1e-9)
        {
            (decision, reason) = ("hold", "pacing"); // the shared rate already moved this interval (another node)
        }
        if (reason != "idle")
        {
            Keep(new GateControlDecision(now, decision, reason, Math.Round(p95, 1), samples.Length, serverFailures, inputFailures, Math.Round(queue, 1), before, after));
        }
        // a wait promised at the pace of now holds once the rate stopped moving: found by a cut (or fixed), and
        // not cut by more than a tenth in the last interval (here or, seen through the shared rate, on another node)
        _monitor.RateSettled = (!_slowStart || FixedRate || _healthyAtCeiling >= HealthyIntervalsAtCeiling) && after >= before * SettledDropLimit;
        // past the slow start, each healthy interval with people waiting adds a step, up to the ceiling
        _monitor.RateGrowth = _slowStart || FixedRate ? 0 : options.RateIncreaseStep / options.ControlInterval.TotalSeconds;
        if (decision == "decrease")
        {
            lock (_lock)
            {
                _lastCut = now;
            }
            LogDecrease(_logger, reason, p95, serverFailures, queue, after);
        }
        return change;
    }

    private void Keep(GateControlDecision decision)
    {
        _metrics.Decided(decision.Decision, decision.Reason);
        lock (_lock)
        {
            _decisions.Enqueue(decision);
            while (_decisions.Count > KeptDecisions)
            {
                _decisions.Dequeue();
            }
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission rate cut ({Reason}): p95 {P95} ms, {Failures} server failures, thread-pool queue {Queue}, now {Rate} users/s")]
    private static partial void LogDecrease(ILogger logger, string reason, double p95, int failures, double queue, double rate);
}
