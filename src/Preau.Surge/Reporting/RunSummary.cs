using Preau.Surge.Measurement;
using Preau.Surge.Running;

namespace Preau.Surge.Reporting;

/// <summary>The machine-readable result of one run (summary.json); <c>plan</c> reads it back.</summary>
internal sealed record RunSummary
{
    public int SchemaVersion { get; init; } = 1;
    public required string Label { get; init; }
    public required string Target { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required int UsersPlanned { get; init; }
    public required double WindowSeconds { get; init; }
    public required string Profile { get; init; }
    public required int Seed { get; init; }
    public required double ImpatienceSeconds { get; init; }
    public required double ThinkSeconds { get; init; }
    public required double DurationLimitSeconds { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required long UsersArrived { get; init; }
    public required long JourneysCompleted { get; init; }
    public required long JourneysFailed { get; init; }
    public required long UsersAbandoned { get; init; }
    public required long UsersWithErrorPage { get; init; }
    public required long Requests { get; init; }
    public required Dictionary<string, long> ErrorsByKind { get; init; }
    public required Percentiles Admitted { get; init; }
    public required Percentiles QueueWait { get; init; }
    public required Percentiles Journey { get; init; }
    public required long UsersQueued { get; init; }
    public required EtaSummary Eta { get; init; }

    /// <summary>Waits of the people let in while their page still said the wait was being estimated.</summary>
    public Percentiles? WaitWithoutNumber { get; init; }

    public long UsersWithoutNumber { get; init; }
    public required List<StepSummary> Steps { get; init; }
    public required GeneratorSummary Generator { get; init; }
    public required ThroughputSummary Throughput { get; init; }
    public required SeriesSnapshot Series { get; init; }

    /// <summary>Queued people shown a higher number than before at least once (0 in older summaries).</summary>
    public long PositionsLost { get; init; }

    /// <summary>Writes acknowledged by the server (listed in acknowledged-writes.csv), by kind.</summary>
    public Dictionary<string, long> AcknowledgedWrites { get; init; } = [];
}

internal sealed record StepSummary(string Name, long Ok, long Skipped, Dictionary<string, long> Errors, Percentiles Latency);

/// <summary>The generator's own cost, so a reader can tell whether the tool or the server was the limit.</summary>
internal sealed record GeneratorSummary(double CpuSeconds, double CpuShareOfMachine, int Cores, int GcCount, long PeakActiveUsers, Percentiles SendLag);

/// <summary>Rates the planner scales from. "Sustained" means over the busiest 10 s while admitted p99 stayed under 1 s.</summary>
internal sealed record ThroughputSummary(double PeakAdmittedPerSecond, double MeanAdmittedPerSecond, double SustainedAdmittedPerSecond,
    double RequestsPerJourney, double GatePollsPerJourney, double PeakRequestsPerSecond, double SignInsPerSecondPeak);

internal static class SummaryBuilder
{
    public const string GatePollStep = "0 file d'attente";

    public static RunSummary Build(RunResult run)
    {
        var r = run.Recorder;
        var seconds = Math.Max(1, (int)Math.Ceiling(run.Elapsed.TotalSeconds));
        var series = r.Series.Snapshot(seconds);
        var steps = r.Steps.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new StepSummary(s.Key, s.Value.Ok, s.Value.Skipped,
            Enum.GetValues<ErrorKind>().Where(k => s.Value.Errors(k) > 0).ToDictionary(k => k.ToString(), k => s.Value.Errors(k)),
            s.Value.Latency.Snapshot())).ToList();
        // Gate polls are answered from the gate's counter, not the database: kept apart so the planner does not size a database for them.
        var polls = r.Steps.TryGetValue(GatePollStep, out var poll) ? poll.Latency.Count + Enum.GetValues<ErrorKind>().Sum(poll.Errors) : 0;
        var requestsPerJourney = (double)(r.Requests - polls) / Math.Max(1, r.Started);

        return new RunSummary
        {
            Label = run.Label,
            Target = run.Settings.Target.ToString(),
            StartedAt = run.StartedAt,
            UsersPlanned = run.Plan.Users,
            WindowSeconds = run.Plan.Window.TotalSeconds,
            Profile = run.Plan.Profile.ToString().ToLowerInvariant(),
            Seed = run.Settings.Seed,
            ImpatienceSeconds = run.Settings.Impatience.TotalSeconds,
            ThinkSeconds = run.Settings.ThinkTime.TotalSeconds,
            DurationLimitSeconds = run.Settings.DurationLimit.TotalSeconds,
            ElapsedSeconds = run.Elapsed.TotalSeconds,
            UsersArrived = r.Started,
            JourneysCompleted = r.Completed,
            JourneysFailed = r.Failed,
            UsersAbandoned = r.Abandoned,
            UsersWithErrorPage = r.UsersWithErrorPage,
            Requests = r.Requests,
            ErrorsByKind = Enum.GetValues<ErrorKind>().ToDictionary(k => k.ToString(), r.ErrorsOfKind),
            Admitted = r.Admitted.Snapshot(),
            QueueWait = r.QueueWait.Snapshot(),
            Journey = r.JourneyDuration.Snapshot(),
            UsersQueued = r.QueueWait.Count,
            Eta = EtaAccuracy.Summarize(r.EtaSamples.ToList()),
            WaitWithoutNumber = r.WaitWithoutNumber.Snapshot(),
            UsersWithoutNumber = r.WaitWithoutNumber.Count,
            Steps = steps,
            Generator = new GeneratorSummary(run.CpuTime.TotalSeconds, run.CpuTime.TotalSeconds / Math.Max(run.Elapsed.TotalSeconds, 0.001) / Environment.ProcessorCount,
                Environment.ProcessorCount, run.GcCount, run.PeakActive, r.GeneratorLag.Snapshot()),
            Throughput = Rates(series, requestsPerJourney, (double)polls / Math.Max(1, r.Started)),
            Series = series,
            PositionsLost = r.PositionsLost,
            AcknowledgedWrites = r.Writes.GroupBy(w => w.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal),
        };
    }

    private static ThroughputSummary Rates(SeriesSnapshot series, double requestsPerJourney, double pollsPerJourney)
    {
        var admitted = series.Admitted;
        var peak = admitted.Length == 0 ? 0 : admitted.Max();
        var active = admitted.Where(a => a > 0).ToArray();
        var mean = active.Length == 0 ? 0 : active.Average();
        // Busiest 10 s window among those whose per-second p99 stayed under a second.
        double sustained = 0;
        var span = Math.Min(10, admitted.Length);
        for (var i = 0; i + span <= admitted.Length && span > 0; i++)
        {
            var healthy = true;
            for (var j = i; j < i + span; j++)
            {
                healthy &= series.LatencyP99Ms[j] < 1000;
            }

            if (healthy)
            {
                sustained = Math.Max(sustained, admitted.Skip(i).Take(span).Average());
            }
        }

        return new ThroughputSummary(peak, mean, sustained, requestsPerJourney, pollsPerJourney,
            series.Requests.Length == 0 ? 0 : series.Requests.Max(), series.SignIns.Length == 0 ? 0 : series.SignIns.Max());
    }
}
