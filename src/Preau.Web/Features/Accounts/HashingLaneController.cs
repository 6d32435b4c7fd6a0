using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Preau.Web.Features.Accounts;

/// <summary>
/// Sizes the <see cref="HashingLane"/> from the overload signal the gate also uses: how long the server
/// takes to answer signed-in people. Every control interval, if their p95 went over the target in two judgements
/// in a row the lane is halved (pages first), otherwise if sign-ins had to wait for a slot it gains one slot, up to
/// <see cref="HashingLane.MaxSize"/>. A fixed <c>cores − 1</c> left a core idle during the 9:00 storm;
/// a fixed <c>cores</c> would let hashing starve pages on a busy node.
/// </summary>
internal sealed class HashingLaneController : IDisposable
{
    private readonly HashingLane _lane;
    private readonly TimeProvider _clock;
    private readonly double _targetMs;
    private readonly bool _adaptive;
    private readonly ITimer _timer;
    private long _samples;
    private long _slow;
    private long _completedAtLastTick;
    private long _lastTick;
    private double _hashesPerSecond;

    /// <summary>Fewest signed-in requests the lane is narrowed on; below it their evidence is carried to the next interval.</summary>
    internal const int MinSamples = 20;

    /// <summary>Control intervals the evidence is carried over at most: older than that, a few slow pages among a
    /// handful are forgotten rather than kept as a veto. Measured: after the start's JIT-slow requests the lane sat at
    /// one slot for the whole sign-in storm that followed (no page read since, so nothing ever cleared the veto),
    /// half the machine idle while fifteen sign-ins waited.</summary>
    internal const int MaxHeldIntervals = 5;

    /// <summary>Judgements in a row that must find pages slow before the lane is halved. Hashes run below pages'
    /// priority, so one slow judgement is most often a pause the lane did not cause (a collection, a method
    /// recompiled); measured: a lane halved on single judgements spent two slices of five at one slot under a
    /// 10 pages/s reader whose p99 stayed at 24 ms, and lost a quarter of the sign-ins.</summary>
    internal const int SlowJudgementsToNarrow = 2;
    private int _slowJudgements;
    private long _heldSamples;
    private int _heldIntervals;
    private long _heldSlow;
    private readonly Lock _evaluating = new();

    public HashingLaneController(HashingLane lane, IOptions<AccountsOptions> options, TimeProvider clock, IMeterFactory? meters = null)
    {
        _lane = lane;
        _clock = clock;
        var o = options.Value;
        _targetMs = o.HashingLatencyTargetMs;
        _adaptive = o.HashingConcurrency is null;
        _lastTick = clock.GetTimestamp();
        var interval = TimeSpan.FromMilliseconds(o.HashingControlMilliseconds);
        _timer = clock.CreateTimer(_ => Evaluate(), null, interval, interval);
        meters?.Create(Infrastructure.Telemetry.MeterName).CreateObservableGauge("preau.hashing.rate",
            () => Volatile.Read(ref _hashesPerSecond), "{hash}/s", "Password hashes per second over the last control interval");
    }

    /// <summary>Hashes per second measured over the last control interval.</summary>
    public double HashesPerSecond => Volatile.Read(ref _hashesPerSecond);

    /// <summary>A timestamp on the controller's clock, for <see cref="RecordSince"/>.</summary>
    public long Timestamp() => _clock.GetTimestamp();

    /// <summary>Records the server time of a request that started at <paramref name="start"/>.</summary>
    public void RecordSince(long start) => Record(_clock.GetElapsedTime(start));

    /// <summary>Server time of one answered request of a signed-in person (sign-ins excluded: they wait for the lane).
    /// Only two counters: "p95 over the target" is "more than 5 % of requests over the target".</summary>
    public void Record(TimeSpan duration)
    {
        Interlocked.Increment(ref _samples);
        if (duration.TotalMilliseconds > _targetMs)
        {
            Interlocked.Increment(ref _slow);
        }
    }

    private void Evaluate()
    {
        lock (_evaluating)
        {
            EvaluateLocked();
        }
    }

    private void EvaluateLocked()
    {
        var samples = Interlocked.Exchange(ref _samples, 0);
        var slow = Interlocked.Exchange(ref _slow, 0);
        var now = _clock.GetTimestamp();
        var completed = _lane.Completed;
        var elapsed = _clock.GetElapsedTime(_lastTick, now).TotalSeconds;
        if (elapsed > 0)
        {
            Volatile.Write(ref _hashesPerSecond, (completed - _completedAtLastTick) / elapsed);
        }

        _completedAtLastTick = completed;
        _lastTick = now;
        var saturated = _lane.TakeSaturated();
        if (!_adaptive)
        {
            return;
        }

        // The p95 is judged over at least MinSamples requests, gathered over as many intervals as it takes: with a
        // handful of signed-in requests a second, one slow page out of ten read as "p95 over the target" and
        // halved everybody's sign-ins (measured: the lane flapped between 1 and 2 under a 10 pages/s reader).
        _heldSamples += samples;
        _heldSlow += slow;
        _heldIntervals++;
        if (_heldSamples >= MinSamples)
        {
            var tooSlow = _heldSlow > _heldSamples * 0.05;
            ForgetEvidence();
            if (tooSlow)
            {
                // never widened on a slow judgement; halved on the second in a row
                if (++_slowJudgements >= SlowJudgementsToNarrow)
                {
                    _slowJudgements = 0;
                    _lane.Resize(_lane.Size / 2);
                }
                return;
            }

            _slowJudgements = 0;
        }
        else if (_heldIntervals >= MaxHeldIntervals)
        {
            ForgetEvidence(); // too few requests to judge a p95 on, for too long: no veto either way
        }

        if (saturated && _heldSlow == 0)
        {
            _lane.Resize(_lane.Size + 1);
        }
    }

    private void ForgetEvidence()
    {
        _heldSamples = 0;
        _heldSlow = 0;
        _heldIntervals = 0;
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>Feeds <see cref="HashingLaneController"/> with the server time of signed-in requests.</summary>
internal static class HashingLaneSignal
{
    private static readonly object s_hashedKey = new();

    /// <summary>Marks a request whose time includes a password hash: it says nothing about page speed.</summary>
    public static void MarkHashed(HttpContext http) => http.Items[s_hashedKey] = true;

    public static WebApplication UseHashingLaneSignal(this WebApplication app)
    {
        var controller = app.Services.GetRequiredService<HashingLaneController>();
        app.Use(async (context, next) =>
        {
            var start = controller.Timestamp();
            await next(context);
            if (context.User.Identity?.IsAuthenticated == true && !context.Items.ContainsKey(s_hashedKey))
            {
                controller.RecordSince(start);
            }
        });
        return app;
    }
}
