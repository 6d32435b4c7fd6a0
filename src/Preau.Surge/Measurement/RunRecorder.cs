using System.Collections.Concurrent;
using System.Diagnostics;

namespace Preau.Surge.Measurement;

internal enum JourneyOutcome
{
    Completed,

    /// <summary>Stopped on an answer the person cannot get past (a refused sign-in, a 4xx).</summary>
    Failed,

    /// <summary>Gave up: too many reloads without an answer, or the run's time limit came first.</summary>
    Abandoned,
}

/// <summary>Per-step outcome counts next to the step's latency histogram.</summary>
internal sealed class StepStats
{
    private long _ok;
    private long _skipped;
    private readonly long[] _errors = new long[Enum.GetValues<ErrorKind>().Length];

    public LatencyHistogram Latency { get; } = new();

    public long Ok => Interlocked.Read(ref _ok);

    public long Skipped => Interlocked.Read(ref _skipped);

    public void CountOk() => Interlocked.Increment(ref _ok);

    public void CountSkipped() => Interlocked.Increment(ref _skipped);

    public void CountError(ErrorKind kind) => Interlocked.Increment(ref _errors[(int)kind]);

    public long Errors(ErrorKind kind) => Interlocked.Read(ref _errors[(int)kind]);
}

/// <summary>Everything a run measures. One instance per target; users write to it concurrently.</summary>
internal sealed class RunRecorder
{
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentDictionary<string, StepStats> _steps = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<EtaSample> _eta = [];
    private readonly ConcurrentQueue<AcknowledgedWrite> _writes = new();
    private readonly ConcurrentQueue<ErrorEvent> _errorEvents = new();
    private long _positionsLost;
    private long _active;
    private long _queued;
    private long _started;
    private long _completed;
    private long _abandoned;
    private long _failed;
    private long _usersWithErrorPage;
    private long _requests;

    public RunRecorder(TimeSpan durationLimit)
    {
        Series = new TimeSeries((int)Math.Ceiling(durationLimit.TotalSeconds) + 5);
    }

    public TimeSeries Series { get; }

    /// <summary>Latency of every answer that was not the gate's waiting answer: what "admitted p99" is computed on.</summary>
    public LatencyHistogram Admitted { get; } = new();

    /// <summary>Time between a person first being told to wait and being let in.</summary>
    public LatencyHistogram QueueWait { get; } = new();

    /// <summary>Waits of people let in before the gate showed them any number ("being estimated" all along).</summary>
    public LatencyHistogram WaitWithoutNumber { get; } = new();

    /// <summary>How late the generator sent requests compared with their intended start: its own overhead.</summary>
    public LatencyHistogram GeneratorLag { get; } = new();

    public LatencyHistogram JourneyDuration { get; } = new();

    public IReadOnlyDictionary<string, StepStats> Steps => _steps;

    public IReadOnlyCollection<EtaSample> EtaSamples => _eta;

    public TimeSpan Now => _clock.Elapsed;

    public long Active => Interlocked.Read(ref _active);

    public long Queued => Interlocked.Read(ref _queued);

    public long Started => Interlocked.Read(ref _started);

    public long Completed => Interlocked.Read(ref _completed);

    public long Abandoned => Interlocked.Read(ref _abandoned);

    public long Failed => Interlocked.Read(ref _failed);

    public long UsersWithErrorPage => Interlocked.Read(ref _usersWithErrorPage);

    public long Requests => Interlocked.Read(ref _requests);

    public void Start() => _clock.Start();

    public StepStats Step(string name) => _steps.GetOrAdd(name, static _ => new StepStats());

    public void UserArrived(TimeSpan scheduled)
    {
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _active);
        Series.Arrival(scheduled);
    }

    public void UserFinished(JourneyOutcome outcome, bool sawErrorPage, TimeSpan arrival)
    {
        Interlocked.Decrement(ref _active);
        switch (outcome)
        {
            case JourneyOutcome.Completed:
                Interlocked.Increment(ref _completed);
                Series.Completed(Now);
                JourneyDuration.Record(LatencyAccounting.Charged(arrival, Now));
                break;
            case JourneyOutcome.Failed:
                Interlocked.Increment(ref _failed);
                break;
            default:
                Interlocked.Increment(ref _abandoned);
                break;
        }

        if (sawErrorPage)
        {
            Interlocked.Increment(ref _usersWithErrorPage);
        }
    }

    public void RequestSent(TimeSpan intendedStart, TimeSpan actualStart)
    {
        Interlocked.Increment(ref _requests);
        Series.Request(actualStart);
        GeneratorLag.Record(LatencyAccounting.Lag(intendedStart, actualStart));
    }

    public void Answer(string step, TimeSpan intendedStart, TimeSpan end, bool gateAnswer)
    {
        var charged = LatencyAccounting.Charged(intendedStart, end);
        Step(step).Latency.Record(charged);
        if (!gateAnswer)
        {
            Admitted.Record(charged);
            Series.Latency(end, charged);
        }
    }

    public void Error(string step, ErrorKind kind)
    {
        Step(step).CountError(kind);
        Series.Error(Now);
        _errorEvents.Enqueue(new ErrorEvent(DateTimeOffset.UtcNow, step, kind));
    }

    /// <summary>Writes the server acknowledged (2xx), to check against the database after the run.</summary>
    public IReadOnlyCollection<AcknowledgedWrite> Writes => _writes;

    /// <summary>Every error with its wall-clock time, to tell those of a killed node's in-flight requests from the others.</summary>
    public IReadOnlyCollection<ErrorEvent> ErrorEvents => _errorEvents;

    /// <summary>People whose place in the queue went back at least once (a higher number than the last one shown).</summary>
    public long PositionsLost => Interlocked.Read(ref _positionsLost);

    public void Acknowledged(string kind, string id) => _writes.Enqueue(new AcknowledgedWrite(DateTimeOffset.UtcNow, kind, id));

    public void PositionLost() => Interlocked.Increment(ref _positionsLost);

    public void EnteredQueue() => Interlocked.Increment(ref _queued);

    public void LeftQueue(TimeSpan waited, bool admitted)
    {
        Interlocked.Decrement(ref _queued);
        if (admitted)
        {
            QueueWait.Record(waited);
            Series.Admitted(Now);
        }
    }

    /// <summary>A person who was never queued is admitted on their first answer.</summary>
    public void AdmittedWithoutQueue() => Series.Admitted(Now);

    public void SignedIn() => Series.SignIn(Now);

    public void Eta(EtaSample sample) => _eta.Add(sample);

    public long ErrorsOfKind(ErrorKind kind) => _steps.Values.Sum(s => s.Errors(kind));
}

/// <summary><paramref name="Kind"/>: homework, tick or message; <paramref name="Id"/>: what the database must hold (a tick: entry:pupil).</summary>
internal sealed record AcknowledgedWrite(DateTimeOffset At, string Kind, string Id);

internal sealed record ErrorEvent(DateTimeOffset At, string Step, ErrorKind Kind);
