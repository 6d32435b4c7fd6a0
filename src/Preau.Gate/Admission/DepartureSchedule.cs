using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>
/// When places will free up, holder by holder, while every place is taken: the wait of the person who needs the
/// r-th departure is the time this schedule reaches r. Built once per snapshot (src/Preau.Gate/README.md, "The
/// promise"):
/// <list type="bullet">
/// <item>A holder unseen for longer than <c>unseenMs</c> has gone (closed the page): their place frees when its idle
/// timeout runs out, a time the store knows.</item>
/// <item>A holder in for longer than every stay of their curve frees their place at their expiry, as if gone.</item>
/// <item>Every other holder leaves after the rest of a stay, read from the stays ended by a sign-out: a
/// Kaplan–Meier survival curve in which the holders still in count as stays not ended (censored at the time held so
/// far). Its tail, where fewer than 5 stays (or a twentieth of the stays ended) are still at risk, is not trusted;
/// once 60 % of the stays are seen to end, the stays not seen to end are taken as the mirror of those seen, around
/// the median. Before that there is no number: the page says the wait is being estimated. Each holder's departure
/// is spread over <see cref="Pieces"/> equally likely times, given how long they have already been in. A lane with
/// <see cref="LaneMinStays"/> stays of its own has a curve of its own, which its holders follow. Places called and
/// not yet claimed count as holders who have just come in, of the lanes being called.</item>
/// <item>Each place freed admits the next person, in the order the store calls lanes (<see cref="Calling"/>), who
/// stays a whole mean stay of their lane and then frees it again, unless they are among the share who leave without
/// signing out (measured: holders gone and idle expiries against sign-outs), whose places free only after the idle
/// timeout, past any wait worth computing.</item>
/// </list>
/// The sum is kept as a fluid (expected departures, fractional), so that a region's sample of holders, each
/// weighing for many, gives the same curve as every holder one by one.
/// </summary>
internal sealed class DepartureSchedule
{
    /// <summary>Stays ended by a sign-out needed before the curve means anything.</summary>
    internal const int MinStays = 5;

    /// <summary>With fewer stays than this share of the stays ended still at risk, the survival curve is the luck of a few: cut there.</summary>
    private const double TrustedAtRisk = 0.05;

    /// <summary>The curve must have seen this share of stays end (past its median) before any number is given.</summary>
    private const double SeenShare = 0.6;

    /// <summary>Fluid events weighing less than this are dropped (a chain of admissions that ends in walk-aways).</summary>
    private const double Negligible = 0.01;

    private const int MaxMarks = 200_000;

    /// <summary>
    /// A sliver of a person put behind everyone waiting in each lane: the time it is called is the wait of whoever comes
    /// in now, and it takes no place from anybody.
    /// </summary>
    private const double Newcomer = 0.01;

    /// <summary>Stays ended by a sign-out in a lane before the lane has a curve of its own.</summary>
    internal const int LaneMinStays = 20;

    /// <summary>
    /// A lane without a curve of its own (fewer than <see cref="LaneMinStays"/> stays, or too few of them seen to end)
    /// that holds at least one place in this many, and gave less than <see cref="OwnStays"/> of the stays of the common
    /// curve, holds back every number: the common curve is then partly other people's stays.
    /// </summary>
    private const int LaneWeighs = 4;

    /// <summary>Share of the common curve's stays a lane must have given for its holders to follow that curve.</summary>
    private const double OwnStays = 0.5;

    /// <summary>Each holder still in is spread over this many equally likely departure times.</summary>
    private const int Pieces = 8;

    /// <summary>Cumulative expected departures and when (seconds from the snapshot) they are reached, in order.</summary>
    private readonly List<(double Departures, double Seconds)> _marks;

    /// <summary>
    /// Per lane, cumulative expected admissions (from the snapshot) and when they are reached, in order, and how many
    /// were waiting in the lane.
    /// </summary>
    private readonly Dictionary<string, (List<(double, double)> Marks, long Waiting)>? _admissions;

    private DepartureSchedule(List<(double, double)> marks, Dictionary<string, (List<(double, double)>, long)>? admissions, int evidence, double meanStaySeconds, double walkAwayShare)
    {
        _marks = marks;
        _admissions = admissions;
        Evidence = evidence;
        MeanStaySeconds = meanStaySeconds;
        WalkAwayShare = walkAwayShare;
    }

    /// <summary>Stays ended by a sign-out the curve rests on.</summary>
    public int Evidence { get; }

    /// <summary>Mean stay of a holder who signs out, from the curve (seconds).</summary>
    public double MeanStaySeconds { get; }

    /// <summary>Share of holders measured to leave without signing out.</summary>
    public double WalkAwayShare { get; }

    /// <summary>How the store calls people: the lanes' rules (share of the places, priority) and the places in all.</summary>
    internal sealed record Calling(IReadOnlyList<LaneRule> Lanes, int MaxActive);

    /// <summary>A lane followed through the schedule: places it holds, people still waiting, people let in so far.</summary>
    private sealed class Flow(LaneRule rule, double active, long queued)
    {
        public LaneRule Rule { get; } = rule;

        /// <summary>People waiting in the lane at the snapshot.</summary>
        public long Queued { get; } = queued;

        public double Active { get; set; } = active;

        public double Waiting { get; set; } = queued + Newcomer;

        public double Admitted { get; set; }

        public List<(double, double)> Marks { get; } = [];
    }

    /// <summary>
    /// The schedule for <paramref name="snapshot"/>, or null while too little is known (fewer than
    /// <see cref="MinStays"/> stays ended, or fewer than <see cref="SeenShare"/> of the stays seen to end). Stays ended within
    /// <paramref name="windowMs"/> are used when there are enough of them, else every stay kept. The schedule is
    /// followed up to <paramref name="horizonSeconds"/>. With <paramref name="calling"/>, each place freed goes to the
    /// person the store would call (the people waiting in the snapshot's lanes), until everyone is in; without it,
    /// every place freed lets somebody in, up to <paramref name="needed"/> departures.
    /// </summary>
    public static DepartureSchedule? Build(GateSnapshot snapshot, long windowMs, long idleMs, long unseenMs, double horizonSeconds, double needed = double.PositiveInfinity,
        Calling? calling = null)
    {
        var now = snapshot.AtMs;
        var kept = snapshot.Ended ?? [];
        var recent = kept.Where(e => now - e.EndedMs <= windowMs).ToList();
        var ended = recent.Count(e => !e.Idle) >= MinStays ? recent : [.. kept];
        var signedOut = ended.Where(e => !e.Idle).ToList();
        if (signedOut.Count < MinStays)
        {
            return null;
        }
        var sample = snapshot.Holders ?? [];
        var weight = sample.Count == 0 ? 0 : Math.Max(1.0, snapshot.Held / (double)sample.Count);
        var still = new List<(double Age, string? Lane, long ExpiresMs)>();
        var gone = new List<(double Seconds, string? Lane)>(); // when the place of a holder who left frees
        foreach (var holder in sample)
        {
            var unseen = now - (holder.ExpiresMs - idleMs);
            if (holder.ExpiresMs > 0 && unseen > unseenMs)
            {
                gone.Add((Math.Max(0, holder.ExpiresMs - now) / 1000.0, holder.Lane));
            }
            else
            {
                still.Add((Math.Max(0, now - holder.AdmittedMs) / 1000.0, holder.Lane, holder.ExpiresMs));
            }
        }
        if (Survival.Fit(Seconds(signedOut), [.. still.Select(h => h.Age)], weight) is not { } pooled)
        {
            return null;
        }
        // each lane's own curve once it has enough stays of its own: profiles stay differently (a parent's journey is
        // shorter than a pupil's), and the mirror of a mixture is not the mixture of the mirrors (BENCHMARKS.md §28)
        var curves = new Dictionary<string, Survival>(StringComparer.Ordinal);
        var lanes = still.Select(h => h.Lane).Concat(calling?.Lanes.Select(l => l.Name) ?? []).OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var lane in lanes)
        {
            var stays = signedOut.Where(e => e.Lane == lane).ToList();
            var holders = still.Where(h => h.Lane == lane).Select(h => h.Age).ToList();
            if (stays.Count >= LaneMinStays && Survival.Fit(Seconds(stays), holders, weight) is { } own)
            {
                curves[lane] = own;
            }
            else if (holders.Count > 0 && holders.Count * LaneWeighs >= still.Count && stays.Count < OwnStays * signedOut.Count)
            {
                // a lane that holds many places follows the common curve only if that curve is its own stays
                return null;
            }
        }
        Survival CurveOf(string? lane) => lane is not null && curves.TryGetValue(lane, out var own) ? own : pooled;
        var walkedAway = (gone.Count * weight) + ended.Count(e => e.Idle);
        var walkAwayShare = walkedAway / Math.Max(1, walkedAway + signedOut.Count);
        var mean = pooled.Residual(0);
        // a holder in for longer than every stay of their curve is past what it can say: most often they closed the page
        // (their place frees when the idle timeout runs out), else they stay on; either way the place is counted as
        // freeing at their expiry, which activity pushes back. Read as leaving any second, such holders made the
        // promises of a morning with walk-aways short (BENCHMARKS.md §29). They do not count in the walk-away share,
        // which stays measured.
        var working = new List<(double Age, string? Lane)>(still.Count);
        foreach (var (age, lane, expiresMs) in still)
        {
            if (expiresMs > 0 && CurveOf(lane).IsPast(age))
            {
                gone.Add((Math.Max(0, expiresMs - now) / 1000.0, lane));
            }
            else
            {
                working.Add((age, lane));
            }
        }

        var queue = new PriorityQueue<(double Weight, string? Lane), double>();
        void Spread(string? lane, double age, double share)
        {
            // a holder's departure is spread over the rest of the curve: holders in since the same time do not all
            // leave at the mean of what remains, but one after the other
            var curve = CurveOf(lane);
            for (var k = 0; k < Pieces && share > 0; k++)
            {
                queue.Enqueue((share / Pieces, lane), curve.Rest(age, (k + 0.5) / Pieces));
            }
        }
        foreach (var (age, lane) in working)
        {
            Spread(lane, age, weight);
        }
        foreach (var (seconds, lane) in gone)
        {
            queue.Enqueue((weight, lane), seconds);
        }
        // behind the people waiting in each lane, a sliver of one more: when the store would call whoever comes in now
        var flows = calling?.Lanes.Select(r => snapshot.Lanes.FirstOrDefault(l => l.Lane == r.Name) is { } l
                ? new Flow(r, l.Active, l.Waiting)
                : new Flow(r, 0, 0))
            .ToList();
        // places called and not yet claimed: their people come in now and stay a whole stay, in their lane
        var called = Math.Max(0, snapshot.ActiveTotal - snapshot.Held);
        var calledByLane = flows?.Select(f => (Lane: (string?)f.Rule.Name,
                Places: Math.Max(0, f.Active - (weight * sample.Count(h => h.Lane == f.Rule.Name))))).ToList() ?? [];
        var calledSum = calledByLane.Sum(c => c.Places);
        foreach (var (lane, places) in calledSum > 0 ? calledByLane : [(null, 1.0)])
        {
            Spread(lane, 0, called * places / Math.Max(calledSum, 1.0));
        }

        var marks = new List<(double, double)>();
        var total = 0.0;
        var step = Math.Max(1.0, weight);
        void Admit(double at)
        {
            // the free places go one by one to the person the store would call, by the store's own rule (the same in Redis)
            var free = calling!.MaxActive - flows!.Sum(f => f.Active);
            while (free > 1e-9)
            {
                Flow? best = null;
                foreach (var f in flows)
                {
                    if (f.Waiting > 1e-9 && (best is null
                        || InMemoryGateStore.Compare(f.Rule.Priority, f.Rule.Share, f.Active, best.Rule.Priority, best.Rule.Share, best.Active, calling.MaxActive) < 0))
                    {
                        best = f;
                    }
                }
                if (best is null)
                {
                    return;
                }
                if (best.Waiting <= Newcomer + 1e-9)
                {
                    // only the newcomer's sliver is left: it is called now and takes no place from anybody. Taking
                    // its hundredth of a place, the other lanes' slivers left 4.98 places for five people, and the
                    // fifth waited a whole further stay.
                    best.Admitted += best.Waiting;
                    best.Waiting = 0;
                    best.Marks.Add((best.Admitted, at));
                    continue;
                }
                var places = Math.Min(step, Math.Min(free, best.Waiting));
                best.Active += places;
                best.Waiting -= places;
                best.Admitted += places;
                best.Marks.Add((best.Admitted, at));
                free -= places;
                var back = places * (1 - walkAwayShare);
                if (back > Negligible)
                {
                    queue.Enqueue((back, best.Rule.Name), at + CurveOf(best.Rule.Name).Residual(0));
                }
            }
        }
        if (flows is not null)
        {
            Admit(0);
        }
        while (marks.Count < MaxMarks && queue.TryDequeue(out var departure, out var at) && at <= horizonSeconds)
        {
            var (w, lane) = departure;
            total += w;
            marks.Add((total, at));
            if (flows is null)
            {
                // nobody's lane known: the place lets in somebody, who frees it again a mean stay later
                var back = w * (1 - walkAwayShare);
                if (back > Negligible)
                {
                    queue.Enqueue((back, null), at + mean);
                }
                if (total >= needed)
                {
                    break;
                }
                continue;
            }
            if (flows.FirstOrDefault(f => f.Rule.Name == lane) is { } own)
            {
                own.Active = Math.Max(0, own.Active - w);
            }
            else
            {
                // a holder whose lane the store did not say: taken from every lane in proportion to its places
                var held = flows.Sum(f => f.Active);
                foreach (var f in flows.Where(f => held > 0))
                {
                    f.Active = Math.Max(0, f.Active - (w * f.Active / held));
                }
            }
            Admit(at);
            if (flows.All(f => f.Waiting <= 1e-9))
            {
                break;
            }
        }
        var admissions = flows?.ToDictionary(f => f.Rule.Name, f => (f.Marks, f.Queued), StringComparer.Ordinal);
        return new DepartureSchedule(marks, admissions, signedOut.Count, mean, walkAwayShare);
    }

    private static List<double> Seconds(IEnumerable<EndedStay> stays) => [.. stays.Select(e => e.DurationMs / 1000.0)];

    /// <summary>Seconds until <paramref name="departures"/> places have freed; +∞ beyond the horizon.</summary>
    public double SecondsUntil(double departures) => Find(_marks, departures);

    /// <summary>
    /// Seconds until the <paramref name="position"/>-th person waiting in <paramref name="lane"/> is called (counting
    /// the free places, which go at once here); +∞ beyond the horizon. Built without the lanes, the
    /// <paramref name="position"/>-th departure.
    /// </summary>
    public double SecondsUntil(string lane, double position) =>
        _admissions is not null && _admissions.TryGetValue(lane, out var admitted)
            ? Find(admitted.Marks, Math.Min(position, admitted.Waiting + Newcomer)) // behind everyone: the newcomer's sliver
            : Find(_marks, position);

    private static double Find(List<(double Count, double Seconds)> marks, double count)
    {
        if (count <= 0)
        {
            return 0;
        }
        var lo = 0;
        var hi = marks.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (marks[mid].Count >= count - 1e-9)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        if (lo == marks.Count)
        {
            return double.PositiveInfinity;
        }
        var (c1, t1) = marks[lo];
        var (c0, t0) = lo == 0 ? (0.0, 0.0) : marks[lo - 1];
        // a mark weighing for many holders (a region's sample) is spread over the time since the previous one
        return c1 - c0 <= 1 ? t1 : t0 + ((t1 - t0) * (count - c0) / (c1 - c0));
    }

    /// <summary>A step survival curve of stays, with a mirrored tail past its trusted part.</summary>
    private sealed class Survival
    {
        private readonly List<(double At, double S)> _steps;

        private Survival(List<(double, double)> steps) => _steps = steps;

        /// <summary>
        /// Kaplan–Meier over <paramref name="ended"/> stays (seconds) and <paramref name="censored"/> times held so far,
        /// each of those weighing <paramref name="weight"/>; null until <see cref="SeenShare"/> of the stays are seen to end.
        /// </summary>
        public static Survival? Fit(List<double> ended, List<double> censored, double weight)
        {
            var points = ended.Select(t => (At: t, Event: 1.0, Censored: 0.0))
                .Concat(censored.Select(t => (At: t, Event: 0.0, Censored: weight)))
                .OrderBy(p => p.At)
                .ToList();
            var atRisk = points.Sum(p => p.Event + p.Censored);
            var floor = Math.Max(MinStays, TrustedAtRisk * ended.Count);
            var s = 1.0;
            var curve = new List<(double At, double S)>();
            for (var i = 0; i < points.Count && atRisk >= floor;)
            {
                var at = points[i].At;
                double events = 0, censoredHere = 0;
                for (; i < points.Count && points[i].At == at; i++)
                {
                    events += points[i].Event;
                    censoredHere += points[i].Censored;
                }
                if (events > 0)
                {
                    s *= 1 - (events / atRisk);
                    curve.Add((at, s));
                }
                atRisk -= events + censoredHere;
            }
            if (curve.Count == 0 || curve[^1].S > 1 - SeenShare)
            {
                return null;
            }
            var steps = new List<(double, double)> { (0, 1) };
            steps.AddRange(curve);
            var (lastAt, lastS) = curve[^1];
            if (lastS > 0)
            {
                // the stays not seen to end mirror those seen, around the median: S falls to 1 − s at 2m − t
                var median = curve.First(c => c.S <= 0.5).At;
                var seen = new List<(double At, double Before)> { (curve[0].At, 1.0) };
                seen.AddRange(curve.Where(c => c.S > 0.5));
                var tail = seen.Select(c => (At: (2 * median) - c.At, S: 1 - c.Before))
                    .Where(c => c.S < lastS && c.At > lastAt)
                    .OrderBy(c => c.At)
                    .ToList();
                if (tail.Count == 0 || tail[^1].S > 0)
                {
                    tail.Add((Math.Max(lastAt + 1, (2 * median) - curve[0].At), 0));
                }
                steps.AddRange(tail);
            }
            return new Survival(steps);
        }

        /// <summary>Index of the last step at or before <paramref name="age"/> (the first is at 0).</summary>
        private int StepAt(double age)
        {
            var (lo, hi) = (0, _steps.Count - 1);
            while (lo < hi)
            {
                var mid = (lo + hi + 1) / 2;
                if (_steps[mid].At <= age)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        private double At(double age) => _steps[StepAt(age)].S;

        /// <summary>True past the curve's end: no stay of the curve lasted <paramref name="age"/> seconds.</summary>
        public bool IsPast(double age) => At(age) <= 1e-12;

        /// <summary>
        /// Seconds left before a stay already <paramref name="age"/> seconds long has ended with probability
        /// <paramref name="p"/> (the curve read as a line through its steps).
        /// </summary>
        public double Rest(double age, double p)
        {
            var target = At(age) * (1 - p);
            // nobody leaves before the first stay ended: the first drop is not spread back to zero
            var from = StepAt(age);
            var (prevAt, prevS) = from == 0 ? (_steps.Count > 1 ? _steps[1].At : 0.0, 1.0) : _steps[from];
            for (var i = Math.Max(1, from + 1); i < _steps.Count; i++)
            {
                var (at, value) = _steps[i];
                if (value <= target)
                {
                    var reached = prevS - value <= 1e-12 ? at : prevAt + ((at - prevAt) * (prevS - target) / (prevS - value));
                    return Math.Max(1, Math.Max(age, reached) - age);
                }
                (prevAt, prevS) = (at, value);
            }
            return Math.Max(1, prevAt - age);
        }

        /// <summary>Expected rest of a stay already <paramref name="age"/> seconds long (at least a second).</summary>
        public double Residual(double age)
        {
            var here = At(age);
            if (here <= 1e-9)
            {
                return 1;
            }
            var area = 0.0;
            for (var i = StepAt(age); i + 1 < _steps.Count; i++)
            {
                var (from, s) = _steps[i];
                var to = _steps[i + 1].At;
                if (to > age)
                {
                    area += s * (to - Math.Max(age, from));
                }
            }
            return Math.Max(1, area / here);
        }
    }
}
