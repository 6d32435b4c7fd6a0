using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>
/// When places will free up, holder by holder, while every place is taken: the wait of the person who needs the
/// r-th departure is the time this schedule reaches r. Built once per snapshot (src/Preau.Gate/README.md, "The
/// promise"):
/// <list type="bullet">
/// <item>A holder unseen for longer than <c>unseenMs</c> has gone (closed the page): their place frees when its idle
/// timeout runs out, a time the store knows.</item>
/// <item>Every other holder leaves after the rest of a stay, read from the stays ended by a sign-out: a
/// Kaplan–Meier survival curve in which the holders still in count as stays not ended (censored at the time held so
/// far). Its tail, where fewer than 5 stays (or a twentieth of the stays ended) are still at risk, is not trusted;
/// once 60 % of the stays are seen to end, the stays not seen to end are taken as the mirror of those seen, around
/// the median. Before that there is no number: the page says the wait is being estimated. Each holder's departure
/// is spread over <see cref="Pieces"/> equally likely times, given how long they have already been in. Places
/// called and not yet claimed count as holders who have just come in.</item>
/// <item>Each place freed admits the next person, who stays a whole mean stay and then frees it again, unless they
/// are among the share who leave without signing out (measured: holders gone and idle expiries against
/// sign-outs), whose places free only after the idle timeout, past any wait worth computing.</item>
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

    /// <summary>Each holder still in is spread over this many equally likely departure times.</summary>
    private const int Pieces = 8;

    /// <summary>Cumulative expected departures and when (seconds from the snapshot) they are reached, in order.</summary>
    private readonly List<(double Departures, double Seconds)> _marks;

    private DepartureSchedule(List<(double, double)> marks, int evidence, double meanStaySeconds, double walkAwayShare)
    {
        _marks = marks;
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

    /// <summary>
    /// The schedule for <paramref name="snapshot"/>, or null while too little is known (fewer than
    /// <see cref="MinStays"/> stays ended, or fewer than <see cref="SeenShare"/> of the stays seen to end). Stays ended within
    /// <paramref name="windowMs"/> are used when there are enough of them, else every stay kept. The schedule is
    /// followed up to <paramref name="horizonSeconds"/> and <paramref name="needed"/> departures (the most any
    /// person waiting needs).
    /// </summary>
    public static DepartureSchedule? Build(GateSnapshot snapshot, long windowMs, long idleMs, long unseenMs, double horizonSeconds, double needed = double.PositiveInfinity)
    {
        var now = snapshot.AtMs;
        var kept = snapshot.Ended ?? [];
        var recent = kept.Where(e => now - e.EndedMs <= windowMs).ToList();
        var ended = recent.Count(e => !e.Idle) >= MinStays ? recent : [.. kept];
        var signedOut = ended.Where(e => !e.Idle).Select(e => e.DurationMs / 1000.0).ToList();
        if (signedOut.Count < MinStays)
        {
            return null;
        }
        var sample = snapshot.Holders ?? [];
        var weight = sample.Count == 0 ? 0 : Math.Max(1.0, snapshot.Held / (double)sample.Count);
        var still = new List<double>();
        var gone = new List<double>(); // seconds until the place of a holder who left frees
        foreach (var holder in sample)
        {
            var unseen = now - (holder.ExpiresMs - idleMs);
            if (holder.ExpiresMs > 0 && unseen > unseenMs)
            {
                gone.Add(Math.Max(0, holder.ExpiresMs - now) / 1000.0);
            }
            else
            {
                still.Add(Math.Max(0, now - holder.AdmittedMs) / 1000.0);
            }
        }
        if (Survival.Fit(signedOut, still, weight) is not { } survival)
        {
            return null;
        }
        var walkedAway = (gone.Count * weight) + ended.Count(e => e.Idle);
        var walkAwayShare = walkedAway / Math.Max(1, walkedAway + signedOut.Count);
        var mean = survival.Residual(0);

        var queue = new PriorityQueue<double, double>();
        // places called and not yet claimed: their people come in now and stay a whole stay
        var called = Math.Max(0, snapshot.ActiveTotal - snapshot.Held);
        foreach (var (age, share) in still.Select(a => (a, weight)).Append((0.0, called)))
        {
            // a holder's departure is spread over the rest of the curve: holders in since the same time do not all
            // leave at the mean of what remains, but one after the other
            for (var k = 0; k < Pieces && share > 0; k++)
            {
                queue.Enqueue(share / Pieces, survival.Rest(age, (k + 0.5) / Pieces));
            }
        }
        foreach (var seconds in gone)
        {
            queue.Enqueue(weight, seconds);
        }
        var marks = new List<(double, double)>();
        var total = 0.0;
        while (marks.Count < MaxMarks && total < needed && queue.TryDequeue(out var w, out var at) && at <= horizonSeconds)
        {
            total += w;
            marks.Add((total, at));
            var back = w * (1 - walkAwayShare);
            if (back > Negligible)
            {
                queue.Enqueue(back, at + mean);
            }
        }
        return new DepartureSchedule(marks, signedOut.Count, mean, walkAwayShare);
    }

    /// <summary>Seconds until <paramref name="departures"/> places have freed; +∞ beyond the horizon.</summary>
    public double SecondsUntil(double departures)
    {
        if (departures <= 0)
        {
            return 0;
        }
        var lo = 0;
        var hi = _marks.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_marks[mid].Departures >= departures)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        if (lo == _marks.Count)
        {
            return double.PositiveInfinity;
        }
        var (d1, t1) = _marks[lo];
        var (d0, t0) = lo == 0 ? (0.0, 0.0) : _marks[lo - 1];
        // a mark weighing for many holders (a region's sample) is spread over the time since the previous one
        return d1 - d0 <= 1 ? t1 : t0 + ((t1 - t0) * (departures - d0) / (d1 - d0));
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
