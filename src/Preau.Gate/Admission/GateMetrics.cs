using System.Diagnostics.Metrics;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>Meter "Preau.Gate". Gauges read the monitor's cached snapshot and never call the store.</summary>
internal sealed class GateMetrics
{
    public const string MeterName = "Preau.Gate";

    /// <summary>The mean stays exported from counts and sums: how much of the time held so far each one counts.</summary>
    private static readonly (string Estimate, double HeldCredit)[] StayEstimates = [("ended", 0), ("censored", 1)];

    private readonly Counter<long> _admitted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _queued;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _promises;
    private readonly Histogram<double> _latency;

    public GateMetrics(IMeterFactory meters, GateMonitor monitor, IGateStore store)
    {
        var meter = meters.Create(MeterName);
        _admitted = meter.CreateCounter<long>("preau.gate.admitted", "{user}", "Users admitted (rate() gives admissions per second)");
        _rejected = meter.CreateCounter<long>("preau.gate.rejected", "{request}", "Requests refused with 429 by the abuse limits");
        _queued = meter.CreateCounter<long>("preau.gate.queued_responses", "{response}", "Waiting pages and queued statuses served");
        meter.CreateObservableGauge("preau.gate.queue.length", () => PerLane(monitor.Last, l => l.Waiting), "{user}", "Users waiting, per lane");
        meter.CreateObservableGauge("preau.gate.active_users", () => PerLane(monitor.Last, l => l.Active), "{user}", "Active users (and called places), per lane (profile group)");
        meter.CreateObservableGauge("preau.gate.admission_rate", () => monitor.Last?.Rate ?? 0, "{user}/s", "Current adaptive admission rate");
        meter.CreateObservableGauge("preau.gate.eta", () => Eta(monitor.Last), "s", "Expected wait of a newcomer");
        meter.CreateObservableGauge("preau.gate.departure_rate", () => monitor.Departures().PerSecond, "{place}/s",
            "Places freed per second (sign-outs, idle expiries, lapsed calls) over the departure window");
        meter.CreateObservableGauge("preau.gate.stay.mean", () => MeanStays(monitor), "s",
            "Mean time a place is held: stays ended only (ended), with the time held so far by current holders (censored), a sign-out stay as the promise's departure schedule reads it (promise)");
        meter.CreateObservableGauge("preau.gate.walk_away_share", () => WalkAway(monitor), "1",
            "Share of holders who leave without signing out (their place frees at the idle timeout), as the promise measures it");
        meter.CreateObservableGauge("preau.gate.stay.held", () => (monitor.Last?.HeldMs ?? 0) / 1000.0, "s",
            "Time held so far by the current holders, summed (stays not ended yet)");
        _decisions = meter.CreateCounter<long>("preau.gate.controller.decisions", "{decision}", "Control decisions, by decision (increase, decrease, hold) and reason");
        _promises = meter.CreateCounter<long>("preau.gate.promises", "{visitor}", "Visitors admitted after waiting, by whether the first wait promised held (±25 %)");
        // Seconds, Prometheus' base unit (promtool lints "milliseconds" names); buckets from 5 ms to 10 s.
        _latency = meter.CreateHistogram("preau.gate.controller.latency", "s", "Server-side duration of admitted requests: what the controller reacts to",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
        meter.CreateObservableGauge("preau.gate.controller.p95", () => ControllerP95 / 1000, "s", "p95 of admitted requests over the last control interval");
        meter.CreateObservableGauge("preau.gate.store.fallback", () => store is FallbackGateStore { IsFallingBack: true } ? 1 : 0, "", "1 while this node serves with local limits");
    }

    public double ControllerP95 { get; set; }

    public void Latency(double milliseconds) => _latency.Record(milliseconds / 1000);

    public void Decided(string decision, string reason) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("decision", decision), new KeyValuePair<string, object?>("reason", reason));

    public void Promise(bool held) => _promises.Add(1, new KeyValuePair<string, object?>("held", held ? "true" : "false"));

    public void Admitted(string lane) => _admitted.Add(1, new KeyValuePair<string, object?>("lane", lane));

    public void Rejected(string scope) => _rejected.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void Queued(string lane) => _queued.Add(1, new KeyValuePair<string, object?>("lane", lane));

    private static IEnumerable<Measurement<long>> PerLane(GateSnapshot? snapshot, Func<LaneSnapshot, long> value) =>
        snapshot is null
            ? []
            : snapshot.Lanes.Select(l => new Measurement<long>(value(l), new KeyValuePair<string, object?>("lane", l.Lane)));

    private static IEnumerable<Measurement<double>> MeanStays(GateMonitor monitor)
    {
        if (monitor.Last is not { } snapshot)
        {
            yield break;
        }
        foreach (var (estimate, credit) in StayEstimates)
        {
            if (monitor.MeanStay(snapshot, credit) is { } stay)
            {
                yield return new Measurement<double>(stay.Seconds, new KeyValuePair<string, object?>("estimate", estimate));
            }
        }
        if (monitor.Schedule(snapshot) is { } schedule)
        {
            yield return new Measurement<double>(schedule.MeanStaySeconds, new KeyValuePair<string, object?>("estimate", "promise"));
        }
    }

    private static IEnumerable<Measurement<double>> WalkAway(GateMonitor monitor)
    {
        if (monitor.Last is { } snapshot && monitor.Schedule(snapshot) is { } schedule)
        {
            yield return new Measurement<double>(schedule.WalkAwayShare);
        }
    }

    private static double Eta(GateSnapshot? snapshot) =>
        snapshot is null || snapshot.Rate <= 0 ? 0 : snapshot.WaitingTotal / snapshot.Rate;
}
