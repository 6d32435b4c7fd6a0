using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Preau.Surge.Cli;
using Preau.Surge.Measurement;

namespace Preau.Surge.Reporting;

internal static class ReportWriter
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync(RunSummary summary, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.json"), JsonSerializer.Serialize(summary, JsonOptions), ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.md"), Markdown(summary), ct);
        Plots.Write(summary, directory);
    }

    /// <summary>One line per queued person: what the gate promised and what the person really waited.</summary>
    public static async Task WriteEtaCsvAsync(IEnumerable<EtaSample> samples, string path, CancellationToken ct)
    {
        var csv = new StringBuilder("promised_low_s,promised_high_s,actual_s,accurate,promised_at_s,position\n");
        foreach (var s in samples)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{s.PromisedLowSeconds},{s.PromisedHighSeconds},{s.ActualSeconds:0.000},{(EtaAccuracy.IsAccurate(s) ? "yes" : "no")},{s.AtSeconds:0.000},{s.Position}\n");
        }

        await File.WriteAllTextAsync(path, csv.ToString(), ct);
    }

    /// <summary>kind;id;at (UTC): every write the server acknowledged, for the rehearsal to look up in the database.</summary>
    public static Task WriteAcknowledgedAsync(IEnumerable<AcknowledgedWrite> writes, string path, CancellationToken ct) =>
        File.WriteAllLinesAsync(path, ["kind;id;at", .. writes.Select(w => FormattableString.Invariant($"{w.Kind};{w.Id};{w.At:O}"))], ct);

    /// <summary>at (UTC);step;kind: every error a person met, in time order.</summary>
    public static Task WriteErrorEventsAsync(IEnumerable<ErrorEvent> errors, string path, CancellationToken ct) =>
        File.WriteAllLinesAsync(path, ["at;step;kind", .. errors.OrderBy(e => e.At).Select(e => FormattableString.Invariant($"{e.At:O};{e.Step};{e.Kind}"))], ct);

    public static async Task<RunSummary> ReadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new SurgeInputException($"résumé introuvable : {path}");
        }

        try
        {
            return JsonSerializer.Deserialize<RunSummary>(await File.ReadAllTextAsync(path, ct), JsonOptions)
                ?? throw new SurgeInputException($"{path} : résumé vide.");
        }
        catch (JsonException e)
        {
            throw new SurgeInputException($"{path} : ce n'est pas un summary.json de surge ({e.Message}).");
        }
    }

    private static string F(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Pct(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Markdown(RunSummary s)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Surge — {s.Label}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Target {s.Target}, {s.UsersPlanned:N0} users, {s.Profile} over {F(s.WindowSeconds)} s, seed {s.Seed}, impatience {F(s.ImpatienceSeconds)} s, think {F(s.ThinkSeconds, "0.#")} s, started {s.StartedAt:u}, ran {F(s.ElapsedSeconds, "0.0")} s.");
        md.AppendLine();
        md.AppendLine("## Verdict");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| users arrived | {s.UsersArrived:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| journeys completed | {s.JourneysCompleted:N0} ({Pct(s.JourneysCompleted / Math.Max(1.0, s.UsersArrived))}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| journeys failed (stopped on an error) | {s.JourneysFailed:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| users who gave up or ran out of time | {s.UsersAbandoned:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| users who saw at least one error page | {s.UsersWithErrorPage:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| admitted requests p50 / p95 / p99 / max | {F(s.Admitted.P50Ms)} / {F(s.Admitted.P95Ms)} / {F(s.Admitted.P99Ms)} / {F(s.Admitted.MaxMs)} ms |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| users queued by the gate | {s.UsersQueued:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| time queued p50 / p95 / max | {F(s.QueueWait.P50Ms / 1000, "0.0")} / {F(s.QueueWait.P95Ms / 1000, "0.0")} / {F(s.QueueWait.MaxMs / 1000, "0.0")} s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| ETA promises within ±{F(s.Eta.Tolerance * 100)} % (or 1 s) | {Pct(s.Eta.WithinToleranceShare)} of {s.Eta.Samples:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| real wait inside the promised range (±1 s) | {Pct(s.Eta.WithinRangeShare)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| ETA relative error median / p90 | {F(s.Eta.MedianRelativeError * 100)} % / {F(s.Eta.P90RelativeError * 100)} % |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| whole journey p50 / p99 (arrival → last step) | {F(s.Journey.P50Ms / 1000, "0.0")} / {F(s.Journey.P99Ms / 1000, "0.0")} s |");
        md.AppendLine();
        md.AppendLine("## Errors by kind");
        md.AppendLine();
        md.AppendLine("| kind | count |");
        md.AppendLine("|---|---|");
        foreach (var (kind, count) in s.ErrorsByKind)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {count:N0} |");
        }

        md.AppendLine();
        md.AppendLine("## Steps (latency from each request's intended start)");
        md.AppendLine();
        md.AppendLine("| step | ok | skipped (404) | errors | answers | p50 ms | p95 ms | p99 ms | max ms |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var step in s.Steps)
        {
            var errors = step.Errors.Count == 0 ? "0" : string.Join(", ", step.Errors.Select(e => $"{e.Key} {e.Value:N0}"));
            md.AppendLine(CultureInfo.InvariantCulture, $"| {step.Name} | {step.Ok:N0} | {step.Skipped:N0} | {errors} | {step.Latency.Count:N0} | {F(step.Latency.P50Ms)} | {F(step.Latency.P95Ms)} | {F(step.Latency.P99Ms)} | {F(step.Latency.MaxMs)} |");
        }

        md.AppendLine();
        md.AppendLine("## Throughput");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- admitted users/s: peak {F(s.Throughput.PeakAdmittedPerSecond)}, mean over busy seconds {F(s.Throughput.MeanAdmittedPerSecond, "0.0")}, best 10 s with p99 < 1 s {F(s.Throughput.SustainedAdmittedPerSecond, "0.0")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- requests: {s.Requests:N0} in all, {F(s.Throughput.RequestsPerJourney, "0.0")} per user plus {F(s.Throughput.GatePollsPerJourney, "0.0")} gate status polls, peak {F(s.Throughput.PeakRequestsPerSecond)} /s");
        md.AppendLine(CultureInfo.InvariantCulture, $"- sign-ins: peak {F(s.Throughput.SignInsPerSecondPeak)} /s");
        md.AppendLine();
        md.AppendLine("## The generator's own overhead");
        md.AppendLine();
        var g = s.Generator;
        md.AppendLine(CultureInfo.InvariantCulture, $"- CPU {F(g.CpuSeconds, "0.0")} s over the run = {Pct(g.CpuShareOfMachine)} of this {g.Cores}-core machine; {g.GcCount} GCs; peak {g.PeakActiveUsers:N0} concurrent users");
        md.AppendLine(CultureInfo.InvariantCulture, $"- send lag (intended start → actually sent) p50 / p99 / max: {F(g.SendLag.P50Ms, "0.0")} / {F(g.SendLag.P99Ms, "0.0")} / {F(g.SendLag.MaxMs)} ms. This lag is included in every latency above; a large lag means the generator, not the server, was the limit.");
        md.AppendLine();
        md.AppendLine("## Plots");
        md.AppendLine();
        foreach (var plot in Plots.Files)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"![{plot}]({plot})");
        }

        return md.ToString();
    }

    /// <summary>Two runs of the same schedule side by side.</summary>
    public static string Comparison(RunSummary a, RunSummary b)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Surge comparison — {a.Label} vs {b.Label}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Same schedule for both: {a.UsersPlanned:N0} users, {a.Profile} over {F(a.WindowSeconds)} s, seed {a.Seed}.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| | {a.Label} | {b.Label} |");
        md.AppendLine("|---|---|---|");
        void Row(string name, Func<RunSummary, string> value) => md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value(a)} | {value(b)} |");
        Row("target", s => s.Target);
        Row("users arrived", s => s.UsersArrived.ToString("N0", CultureInfo.InvariantCulture));
        Row("journeys completed", s => $"{s.JourneysCompleted:N0} ({Pct(s.JourneysCompleted / Math.Max(1.0, s.UsersArrived))})");
        Row("journeys failed", s => s.JourneysFailed.ToString("N0", CultureInfo.InvariantCulture));
        Row("users who gave up", s => s.UsersAbandoned.ToString("N0", CultureInfo.InvariantCulture));
        Row("users who saw an error page", s => s.UsersWithErrorPage.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var kind in a.ErrorsByKind.Keys)
        {
            Row($"errors: {kind}", s => s.ErrorsByKind.GetValueOrDefault(kind).ToString("N0", CultureInfo.InvariantCulture));
        }

        Row("admitted p50 / p99 / max ms", s => $"{F(s.Admitted.P50Ms)} / {F(s.Admitted.P99Ms)} / {F(s.Admitted.MaxMs)}");
        Row("users queued", s => s.UsersQueued.ToString("N0", CultureInfo.InvariantCulture));
        Row("time queued p50 / max s", s => $"{F(s.QueueWait.P50Ms / 1000, "0.0")} / {F(s.QueueWait.MaxMs / 1000, "0.0")}");
        Row("ETA within ±25 %", s => s.Eta.Samples == 0 ? "—" : $"{Pct(s.Eta.WithinToleranceShare)} of {s.Eta.Samples:N0}");
        Row("journey p50 / p99 s", s => $"{F(s.Journey.P50Ms / 1000, "0.0")} / {F(s.Journey.P99Ms / 1000, "0.0")}");
        Row("requests sent", s => s.Requests.ToString("N0", CultureInfo.InvariantCulture));
        Row("run time s", s => F(s.ElapsedSeconds, "0.0"));
        Row("generator CPU / send lag p99", s => $"{F(s.Generator.CpuSeconds, "0.0")} s / {F(s.Generator.SendLag.P99Ms, "0.0")} ms");
        return md.ToString();
    }
}
