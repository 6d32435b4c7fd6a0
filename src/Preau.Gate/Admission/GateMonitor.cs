using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>
/// Keeps a recent snapshot of the queue (refreshed at most every two seconds, so that pages and metrics
/// never add load on the store), measures how places are shared between lanes over the last minute and how
/// fast places free up over the departure window, and turns them into waits.
/// </summary>
internal sealed class GateMonitor(IGateStore store, GateLimits limits, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LaneWindow = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MinMeasure = TimeSpan.FromSeconds(10);

    /// <summary>How far back the queue's real pace is measured: a few control intervals, so that a rate moving in steps is averaged.</summary>
    private static readonly TimeSpan PaceWindow = TimeSpan.FromSeconds(30);

    /// <summary>How long a rate must have been seen in force to count as one the node held: two control intervals, less
    /// the two seconds a snapshot may lag.</summary>
    private static readonly TimeSpan SustainedFor = TimeSpan.FromSeconds(8);

    /// <summary>Relative uncertainty of a draining at the admission rate (calls not claimed, bucket timing).</summary>
    private const double AdmissionSigma = 0.1;

    /// <summary>
    /// How far past the rate held the climb after a cut may go, for the wait's short end: on the mornings of
    /// BENCHMARKS.md §35 it went half again past it. Counted as a half, the busy morning of §31 where the rate was cut
    /// each time it passed the rate held (a wait of 318 s, GateMonitorTests) was promised 179–293 s, past a quarter
    /// short; two fifths holds both.
    /// </summary>
    private const double BeyondHeld = 1.4;

    /// <summary>
    /// The same while the rate of now is still below the rate held: on the busy mornings of BENCHMARKS.md §35 the rate
    /// stayed 15–40 s where the arrivals' cuts left it (4.4–5 users/s, the sign-in lane still holding some) before it
    /// climbed back to the 10 it had held, and a climb past it counted from then made those promises a fifth short.
    /// </summary>
    private const double BeyondHeldFromBelow = 1.2;

    /// <summary>Widest relative spread of a climb's two ends: wider, the range's low end is clamped and its middle moves.</summary>
    private const double MaxSpread = 0.8;

    /// <summary>
    /// A person called learns it at the page's next poll: half a poll later on average, and the last polls of a wait
    /// come 2 s apart. Without it, on the closure morning, the waits of 3 to 6 s came out 1.5 s short: 164 of 1,034
    /// promises missed, 66 with it, replayed on that run (BENCHMARKS.md §30).
    /// </summary>
    private const double PickupSeconds = 1.0;

    /// <summary>Stays (admission to sign-out or idle expiry) measured before a mean stay is exported.</summary>
    private const int MinStays = 5;

    /// <summary>
    /// A holder unseen this long has gone (closed the page). An admitted user's ticket is touched in the store at most
    /// once a minute (PreauGate), and people read: on the closure bench one holder in ten was silent for over two
    /// minutes after coming in, and still signed out at the end of their work.
    /// </summary>
    internal static readonly TimeSpan GoneAfter = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, Dictionary<string, long> Watermarks, long Departed, long Numbered, long Stays, long StayMs, long HeldMs, double Rate)> _history = new();
    private bool _rateSettled = true;
    private double _rateGrowth;
    private long _slowStartEndedTicks = DateTimeOffset.MinValue.UtcTicks;
    private (double Held, double CutFrom) _climbBracket = (double.NaN, double.NaN);
    private DateTimeOffset _settledAt = DateTimeOffset.MinValue;
    private GateSnapshot? _snapshot;
    private GateSnapshot? _scheduleFor;
    private DepartureSchedule? _schedule;
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
        var window = limits.Options.DepartureWindow > LaneWindow ? limits.Options.DepartureWindow : LaneWindow;
        lock (_lock)
        {
            _snapshot = snapshot;
            _takenAt = now;
            // the people who can be called: during the fair-start draw nobody has a number yet, and nobody is
            // called, so that time is no measure of the pace
            var numbered = snapshot.Lanes.Sum(l => l.Waiting - l.Lobby);
            _history.Enqueue((now, snapshot.Lanes.ToDictionary(l => l.Lane, l => l.Watermark), snapshot.Departed, numbered, snapshot.Stays, snapshot.StayMs, snapshot.HeldMs, snapshot.Rate));
            while (_history.Count > 2 && now - _history.Peek().At > window)
            {
                _history.Dequeue();
            }
            _climbBracket = (double.NaN, double.NaN); // worked out at this snapshot's first estimate that needs it
        }
        return snapshot;
    }

    /// <summary>
    /// False while the admission rate is still looking for the node's capacity: in the controller's slow start
    /// (doubled at each healthy interval until the first cut), and for one control interval after a cut of more
    /// than a tenth (the first cuts of a morning come in a row: 40, 20, then 10 users/s). A pace measured then is
    /// the pace of a rate the node will not keep: the closure morning's first thousand promises rested on it and came
    /// out a third to a half short. Until the rate settles, a wait at the admission pace has no number ("being
    /// estimated"), like a wait that needs departures before any stay ended; a number already shown is kept. Set by
    /// <see cref="AdmissionController"/>; true without one.
    /// </summary>
    internal bool RateSettled
    {
        get => Volatile.Read(ref _rateSettled);
        set
        {
            lock (_lock)
            {
                if (value && !_rateSettled && _settledAt == DateTimeOffset.MinValue)
                {
                    // the slow start's rates were never kept: the pace is measured from its end. Later cuts are the
                    // rate's ordinary steps, which the pace averages over its window.
                    _settledAt = time.GetUtcNow();
                }
                _rateSettled = value;
            }
        }
    }

    /// <summary>
    /// How fast the admission rate will rise while people wait (users/s each second): the controller's step per control
    /// interval once its slow start is over, 0 in slow start, with a fixed rate or without a controller. Set by
    /// <see cref="AdmissionController"/>.
    /// </summary>
    internal double RateGrowth
    {
        get => Volatile.Read(ref _rateGrowth);
        set => Volatile.Write(ref _rateGrowth, value);
    }

    /// <summary>
    /// When the controller's slow start ended (its first cut, here or seen from another node); until then each healthy
    /// interval doubled the rate. <see cref="DateTimeOffset.MinValue"/> without a controller or before: no rate is taken
    /// for a slow start's. Set by <see cref="AdmissionController"/>.
    /// </summary>
    internal DateTimeOffset SlowStartEndedAt
    {
        get => new(Volatile.Read(ref _slowStartEndedTicks), TimeSpan.Zero);
        set => Volatile.Write(ref _slowStartEndedTicks, value.UtcTicks);
    }

    /// <summary>True when nobody waits and places are free: a newcomer would walk in.</summary>
    public bool IsQuiet(GateSnapshot snapshot) => snapshot.WaitingTotal == 0 && snapshot.ActiveTotal < limits.Policy.MaxActive;

    /// <summary>
    /// Places freed per second over the departure window, and how many departures that measure rests on.
    /// Before anything is measured, half a departure over the time observed stands in (a wait shown is then
    /// long and wide, and only comes down).
    /// </summary>
    public (double PerSecond, double Count) Departures()
    {
        lock (_lock)
        {
            if (_history.Count < 2 || _snapshot is null)
            {
                return (0.5 / MinMeasure.TotalSeconds, 0.5);
            }
            var (oldestAt, _, oldestDeparted, _, _, _, _, _) = _history.Peek();
            var observed = Math.Max((_takenAt - oldestAt).TotalSeconds, MinMeasure.TotalSeconds);
            var evidence = Math.Max(0, _snapshot.Departed - oldestDeparted) + 0.5;
            return (evidence / observed, evidence);
        }
    }

    /// <summary>
    /// Mean time a place is held (admission to sign-out or idle expiry) and how many stays it rests on: over the
    /// departure window when it measured <see cref="MinStays"/>, else since the store began; null before that.
    /// Stays not ended yet are censored: (time of the stays ended + <paramref name="heldCredit"/> × time held so far
    /// by the current holders) ÷ stays ended. Over the window, the time held so far counts as its growth since the
    /// window's start, so that a stay is never counted twice (once held, once ended). Exported in /metrics; the
    /// promise reads the <see cref="DepartureSchedule"/> instead.
    /// </summary>
    public (double Seconds, long Count)? MeanStay(GateSnapshot snapshot, double heldCredit)
    {
        long stays, stayMs, heldMs;
        lock (_lock)
        {
            var oldest = _history.Count > 0 ? _history.Peek() : default;
            // a shared store that restarted empty counts from zero again: the window then means nothing
            var windowed = _history.Count >= 2 && snapshot.Stays - oldest.Stays >= MinStays && snapshot.StayMs >= oldest.StayMs;
            (stays, stayMs, heldMs) = windowed
                ? (snapshot.Stays - oldest.Stays, snapshot.StayMs - oldest.StayMs, snapshot.HeldMs - oldest.HeldMs)
                : (snapshot.Stays, snapshot.StayMs, snapshot.HeldMs);
        }
        return stays >= MinStays ? (Math.Max(1, (stayMs + (heldCredit * heldMs)) / 1000.0 / stays), stays) : null;
    }

    /// <summary>
    /// Wait of the person at <paramref name="position"/> in <paramref name="lane"/>: the free places go at the
    /// admission rate, then each further place waits for a departure, read from the <see cref="DepartureSchedule"/>
    /// of this snapshot (when each holder is expected to leave, and the people admitted meanwhile after them). Before
    /// it can be built (too few stays ended, or too few of them seen to end) the wait is not known and the page says
    /// it is being estimated. The admission rate is split between lanes as the store will call them
    /// (<see cref="CallShare"/>); the places freed go to the people the store would call
    /// (<see cref="DepartureSchedule.Calling"/>: priority, then lanes under their share, then the least filled). The
    /// uncertainty grows when few stays were measured and when the wait rests on few departures (Poisson counts).
    /// <para>
    /// The position comes from the store now, the snapshot up to two seconds before. With <paramref name="ticket"/>
    /// and <paramref name="nowMs"/>, the wait is read in the snapshot's frame: the person's place counted from the
    /// snapshot's watermark (the people called since are still ahead there), and the time gone since taken off. Read
    /// against a snapshot taken just after people left, the fresh position fell among places already taken since, and
    /// someone with a whole stay to wait was promised "0 à 1 s". With <paramref name="freeNow"/> (the places the store
    /// had free at the request), the places taken since the snapshot count as people ahead.
    /// </para>
    /// </summary>
    public WaitEstimate Estimate(string lane, long position, GateSnapshot snapshot, long ticket = 0, long nowMs = 0, long freeNow = -1)
    {
        var fraction = CallShare(lane, Math.Max(1, position), snapshot) ?? LaneFraction(lane, snapshot);
        var admission = Math.Max(1e-6, Pace(snapshot) * fraction);
        var free = Math.Max(0, limits.Policy.MaxActive - snapshot.ActiveTotal) * fraction;
        var ahead = (double)position;
        if (freeNow >= 0)
        {
            // the places taken since the snapshot went to people now ahead in its frame
            ahead += Math.Max(0, free - (freeNow * fraction));
        }
        if (ticket > 0 && snapshot.Lanes.FirstOrDefault(l => l.Lane == lane) is { } atSnapshot)
        {
            // tickets not called at the snapshot up to this one; those passed over (gone) anywhere in the lane are
            // left out, so this never counts more than were really ahead, and never less than the store says now
            ahead = Math.Max(ahead, ticket - atSnapshot.Watermark - atSnapshot.Gone);
        }
        var since = ticket > 0 && snapshot.AtMs > 0 ? Math.Max(0, (nowMs - snapshot.AtMs) / 1000.0) : 0;
        if (ahead <= free)
        {
            if (!RateSettled)
            {
                return WaitEstimate.Estimating;
            }
            var (seconds, spread) = AdmissionSeconds(position, admission, fraction, snapshot);
            var total = seconds + PickupSeconds;
            return new WaitEstimate(total, Math.Max(AdmissionSigma, spread * seconds / total));
        }
        if (Schedule(snapshot) is not { } schedule)
        {
            return WaitEstimate.Estimating;
        }
        var (first, firstSpread) = AdmissionSeconds(free, admission, fraction, snapshot);
        var rest = ahead - free;
        var then = schedule.SecondsUntil(lane, ahead);
        if (double.IsInfinity(then))
        {
            return new WaitEstimate(double.PositiveInfinity, 1);
        }
        then = Math.Max(0, then - since);
        var center = Math.Max(1, first + then + PickupSeconds);
        var sigma = ((then / center) * Math.Sqrt((1.0 / schedule.Evidence) + (1 / Math.Max(1, rest)))) + ((first / center) * Math.Max(AdmissionSigma, firstSpread));
        return new WaitEstimate(center, sigma);
    }

    /// <summary>
    /// The departure schedule of <paramref name="snapshot"/>, built once per snapshot (every two seconds at most);
    /// null while too little is known. A holder unseen for <see cref="GoneAfter"/> (or half the idle timeout, if
    /// shorter) counts as gone: their place frees when the idle timeout runs out.
    /// </summary>
    internal DepartureSchedule? Schedule(GateSnapshot snapshot)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_scheduleFor, snapshot))
            {
                return _schedule;
            }
        }
        var idleMs = limits.Policy.IdleMs;
        var unseenMs = Math.Min(GoneAfter.TotalMilliseconds, idleMs / 2.0);
        var windowMs = (long)limits.Options.DepartureWindow.TotalMilliseconds;
        var at = snapshot.AtMs > 0 ? snapshot : snapshot with { AtMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        // followed until the last person waiting in every lane is called, each place going to whom the store would call
        var built = DepartureSchedule.Build(at, windowMs, idleMs, (long)unseenMs, EtaEstimator.MaxSeconds,
            calling: new DepartureSchedule.Calling(limits.Policy.Lanes, limits.Policy.MaxActive));
        lock (_lock)
        {
            _scheduleFor = snapshot;
            _schedule = built;
        }
        return built;
    }

    /// <summary>
    /// Seconds until <paramref name="people"/> more are let in at <paramref name="pace"/> (the lane's), or, while the
    /// controller climbs (<see cref="RateGrowth"/>), at the rate of now rising a step each control interval, up to the
    /// ceiling; and the relative spread of that figure (0 when it is one path).
    /// After a morning's cuts the controller climbs back step by step and the queue lives through the climb: read
    /// from the rate of the first seconds after a cut, the closure morning's promises came out long, a third on a
    /// quiet machine (53.3 % held) and twice the real wait on a busy one (5.9 %); climbing to the ceiling, a third
    /// short when the rate was cut again near where it was cut from (BENCHMARKS.md §31). Where the climb stops after a
    /// cut is not known ahead: the node's limit lies somewhere between the highest rate it held in the minute and the
    /// lowest it was cut from (<see cref="ClimbBracket"/>), and after the arrivals' own load it may lie above both. On
    /// one machine the climb stopped where the node had held (BENCHMARKS.md §33–§34: a climb to that rate held 93–96 %
    /// of the promises of two busy mornings); on the next, quiet and busy alike, it often went on half again past it
    /// without a cut, and those promises held 45–48 % (§35). So within a minute of a cut the wait is read between two
    /// ends: climbing to the rate held and stopping there, and climbing to the lowest rate cut from, or two fifths past
    /// the rate held if higher (<see cref="BeyondHeld"/>; a fifth while the rate of now is still below the rate held,
    /// <see cref="BeyondHeldFromBelow"/>). The wait is their harmonic mean (as far from either, relatively) and the
    /// range covers both ends.
    /// </summary>
    private (double Seconds, double Spread) AdmissionSeconds(double people, double pace, double fraction, GateSnapshot snapshot)
    {
        var growth = RateGrowth * fraction;
        if (people <= 0 || growth <= 0 || snapshot.ActiveTotal >= limits.Policy.MaxActive)
        {
            return (people / pace, 0);
        }
        var rate = Math.Max(1e-6, snapshot.Rate * fraction);
        (double Held, double CutFrom) bracket;
        lock (_lock)
        {
            if (double.IsNaN(_climbBracket.Held))
            {
                _climbBracket = ClimbBracket();
            }
            bracket = _climbBracket;
        }
        var maxRate = limits.Policy.MaxRate;
        var slow = Climb(people, rate, Math.Max(rate, Math.Min(bracket.Held, maxRate) * fraction), growth);
        if (double.IsPositiveInfinity(bracket.Held))
        {
            return (slow, 0); // no cut in the last minute: climbing to the ceiling
        }
        // the node's capacity lies between the rate it held and the lowest rate it was cut from, and once the arrivals'
        // own load ends it may lie above both. Still below the rate held, the cut's cause may still be there: the climb
        // back is itself in doubt, and a climb past the rate held further off
        var top = snapshot.Rate < bracket.Held - 1e-9
            ? BeyondHeldFromBelow * bracket.Held
            : double.IsPositiveInfinity(bracket.CutFrom) ? BeyondHeld * bracket.Held : Math.Max(bracket.CutFrom, BeyondHeld * bracket.Held);
        top = Math.Min(maxRate, top);
        var fast = Climb(people, rate, Math.Max(rate, top * fraction), growth);
        if (slow <= fast || fast <= 0)
        {
            return (slow, 0);
        }
        // the wait as far from either end, relatively (their harmonic mean), and a range that covers both ends
        var center = 2 * slow * fast / (slow + fast);
        return (center, Math.Min(MaxSpread, (slow - fast) / (2 * fast)));
    }

    /// <summary>
    /// Seconds until <paramref name="people"/> are let in at <paramref name="rate"/> rising by <paramref name="growth"/>
    /// each second until <paramref name="ceiling"/>, then at the ceiling: people = rate t + growth t² / 2.
    /// </summary>
    private static double Climb(double people, double rate, double ceiling, double growth)
    {
        var toCeiling = (ceiling - rate) / growth;
        var byCeiling = (rate * toCeiling) + (growth * toCeiling * toCeiling / 2);
        return people <= byCeiling
            ? (Math.Sqrt((rate * rate) + (2 * growth * people)) - rate) / growth
            : toCeiling + ((people - byCeiling) / ceiling);
    }

    /// <summary>
    /// Where the controller's climb may stop, within a minute of a cut: <c>Held</c>, the highest rate the node held for
    /// <see cref="SustainedFor"/> or more in that minute, and <c>CutFrom</c>, the lowest rate it was cut from in it (+∞
    /// when every cut was from a rate the slow start rose to). (+∞, +∞) without a cut: the climb goes to the ceiling.
    /// The rates the slow start doubled to (20, 40 users/s) count as neither: a guess cut after one interval or two,
    /// not a rate the node held. Counted as held when one lasted 11 s (a hold between the doubling and the cut), the
    /// promises of two quiet mornings climbed back to 40 and came out a fifth to a third short (BENCHMARKS.md §35).
    /// </summary>
    /// <remarks>
    /// Called under the lock, at the first estimate of a snapshot that climbs, then kept for that snapshot. One pass over
    /// the history, nothing allocated: worked out at every snapshot (every two seconds), it made a test that moves a fake
    /// clock a month ahead, i.e. the gate's loop a million snapshots on, run for hours; and no snapshot without a queue
    /// needs it.
    /// </remarks>
    private (double Held, double CutFrom) ClimbBracket()
    {
        var cut = false;
        var cutFrom = double.PositiveInfinity;
        var highest = 0.0;
        var started = false;
        var runAt = DateTimeOffset.MinValue;
        var runRate = 0.0;
        var runDoubled = false;
        var before = double.NaN; // the rate of the sample before, in the minute or not
        var slowStartEnded = SlowStartEndedAt;
        foreach (var h in _history)
        {
            var previous = before;
            before = h.Rate;
            if (_takenAt - h.At > LaneWindow)
            {
                continue;
            }
            if (!started || Math.Abs(h.Rate - runRate) >= 1e-9)
            {
                // the run's rate was in force from its first sample until this one
                if (started && !runDoubled && h.At - runAt >= SustainedFor)
                {
                    highest = Math.Max(highest, runRate);
                }
                if (started && h.Rate < runRate)
                {
                    cut = true;
                    if (!runDoubled)
                    {
                        cutFrom = Math.Min(cutFrom, runRate);
                    }
                }
                // a rate the slow start rose to was never the node's: a guess, doubled until cut
                runDoubled = h.At < slowStartEnded && !double.IsNaN(previous) && h.Rate > previous;
                (started, runAt, runRate) = (true, h.At, h.Rate);
            }
        }
        if (started && !runDoubled && _takenAt - runAt >= SustainedFor)
        {
            highest = Math.Max(highest, runRate); // the last rate, in force until now
        }
        return cut ? (highest, cutFrom) : (double.PositiveInfinity, double.PositiveInfinity);
    }

    /// <summary>
    /// The admission rate in force, averaged over the last <see cref="PaceWindow"/> while numbered people waited all
    /// along and places were free, and since the slow start ended (<see cref="RateSettled"/>); else the rate of now.
    /// The rate moves in steps (AIMD: cut, then climbing back), and a wait of a minute lives through several of them:
    /// the rate averaged over a few intervals predicts it better than the rate of the instant the promise is made.
    /// The rate, not the watermark's moves: on the closure morning the watermark moved 10–15 % slower than the rate
    /// (a bucket of one second's tokens, filled only when someone polls) while the people waiting moved faster than
    /// it (places of people who stopped polling are skipped), and promises made from the watermark came out a
    /// quarter long (BENCHMARKS.md §22).
    /// </summary>
    private double Pace(GateSnapshot snapshot)
    {
        lock (_lock)
        {
            var span = _history.Reverse().TakeWhile(h => h.Numbered > 0 && _takenAt - h.At <= PaceWindow && h.At >= _settledAt).ToList();
            if (span.Count < 2 || snapshot.ActiveTotal >= limits.Policy.MaxActive)
            {
                return snapshot.Rate;
            }
            var elapsed = (span[0].At - span[^1].At).TotalSeconds;
            if (elapsed < MinMeasure.TotalSeconds)
            {
                return snapshot.Rate;
            }
            // the rate in force over the span, each sample's rate held until the next one
            var admitted = 0.0;
            for (var i = span.Count - 1; i > 0; i--)
            {
                admitted += span[i].Rate * (span[i - 1].At - span[i].At).TotalSeconds;
            }
            return admitted / elapsed;
        }
    }

    /// <summary>
    /// True when the people in the draw may outnumber the places free: who gets one is then the draw's luck, and the
    /// rest wait for departures, so nobody in the draw can be given a number before it ends (the page comes back
    /// then). The draw grows until it ends: its size at the end is taken as its size now at the pace it grew so far
    /// (at least a second of it), added to the people already numbered at the snapshot. Every lane's, since the lanes
    /// share the places: weighed by a lane's share of the admissions, the parents' draw on the closure morning
    /// outgrew its share of 1,900 free places and nobody was given a number. Read from the snapshot's waiting,
    /// everyone drawn as the places ran out was promised the draw and a few seconds and waited a whole stay
    /// (BENCHMARKS.md §31). Without the store's figures (-1), false.
    /// </summary>
    public static bool DrawMayOutgrowPlaces(EnterResult drawn, GateSnapshot snapshot, long nowMs, long fairStartMs)
    {
        if (drawn.Drawn < 0 || drawn.FreePlaces < 0)
        {
            return false;
        }
        var elapsedMs = fairStartMs - Math.Max(0, drawn.LobbyEndsAtMs - nowMs);
        var atEnd = drawn.Drawn * Math.Max(1.0, fairStartMs / (double)Math.Max(1000, elapsedMs));
        var numbered = snapshot.Lanes.Sum(l => Math.Max(0, l.Waiting - l.Lobby));
        return numbered + atEnd > drawn.FreePlaces;
    }

    /// <summary>
    /// Share of the next calls that go to <paramref name="lane"/> while its next <paramref name="people"/> are called, as
    /// the store calls (<see cref="InMemoryGateStore.Compare"/>): the lanes of a better priority first, all their people
    /// waiting; among equal priorities the least filled (places held over reserved share), so that another lane is
    /// called only until it is as filled as this one will be. On the closure morning the visitors let in who signed in
    /// as parents took their places to the parents' lane; filled past its share, that lane was not called while pupils
    /// waited, and the pupils, promised the share the parents had had during the arrivals (0.82–0.89 of the rate read
    /// over the last minute), waited a fifth less than promised (BENCHMARKS.md §33). Null when the lane is not in the
    /// policy or holds no reserved share.
    /// </summary>
    private double? CallShare(string lane, double people, GateSnapshot snapshot)
    {
        var policy = limits.Policy;
        var rule = policy.Lanes.FirstOrDefault(l => l.Name == lane);
        if (rule is null || rule.Share <= 0)
        {
            return null;
        }
        var own = snapshot.Lanes.FirstOrDefault(l => l.Lane == lane);
        var fillAtEnd = ((own?.Active ?? 0) + people) / (rule.Share * policy.MaxActive);
        var others = 0.0;
        foreach (var other in snapshot.Lanes)
        {
            var callable = other.Waiting - other.Lobby;
            if (other.Lane == lane || callable <= 0 || policy.Lanes.FirstOrDefault(l => l.Name == other.Lane) is not { } theirs || theirs.Priority > rule.Priority)
            {
                continue;
            }
            others += theirs.Priority < rule.Priority
                ? callable
                : Math.Min(callable, Math.Max(0, (fillAtEnd * theirs.Share * policy.MaxActive) - other.Active));
        }
        return people / (people + others);
    }

    /// <summary>Admissions per second in a lane while places are free (for operators and the public page).</summary>
    public double LaneRate(string lane, GateSnapshot snapshot) => snapshot.Rate * LaneFraction(lane, snapshot);

    /// <summary>
    /// Share of the places that go to <paramref name="lane"/>: as measured over the last minute when the lane
    /// moved, else by priority and reserved shares among the lanes that wait.
    /// </summary>
    private double LaneFraction(string lane, GateSnapshot snapshot)
    {
        lock (_lock)
        {
            var recent = _history.Where(h => _takenAt - h.At <= LaneWindow).ToList();
            if (recent.Count >= 2 && _takenAt - recent[0].At >= MinMeasure)
            {
                var oldest = recent[0].Watermarks;
                var moved = snapshot.Lanes.Sum(l => oldest.TryGetValue(l.Lane, out var f) ? Math.Max(0, l.Watermark - f) : 0);
                if (moved > 0 && oldest.TryGetValue(lane, out var from))
                {
                    var to = snapshot.Lanes.FirstOrDefault(l => l.Lane == lane)?.Watermark ?? from;
                    var share = Math.Max(0, to - from) / (double)moved;
                    if (share > 0)
                    {
                        return share;
                    }
                }
            }
        }
        return Estimated(lane, snapshot);
    }

    private double Estimated(string lane, GateSnapshot snapshot)
    {
        var policy = limits.Policy;
        var waiting = policy.Lanes.Where(l => snapshot.Lanes.Any(s => s.Lane == l.Name && s.Waiting > 0) || l.Name == lane).ToList();
        var rule = waiting.FirstOrDefault(l => l.Name == lane);
        if (rule is null)
        {
            return 1;
        }
        var top = waiting.Min(l => l.Priority);
        if (rule.Priority == top && waiting.Count(l => l.Priority == top) == 1)
        {
            return 1;
        }
        var total = waiting.Where(l => l.Priority == rule.Priority).Sum(l => l.Share);
        return total > 0 ? rule.Share / total : 1.0 / waiting.Count;
    }
}
