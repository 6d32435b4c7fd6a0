using ScottPlot;

namespace Preau.Surge.Reporting;

/// <summary>PNG plots of the run's one-second series, one file per question a reader asks.</summary>
internal static class Plots
{
    public static readonly string[] Files = ["arrivals.png", "queue.png", "admitted.png", "active.png", "latency.png"];

    public static void Write(RunSummary s, string directory)
    {
        var series = s.Series;
        var xs = Enumerable.Range(0, series.Arrivals.Length).Select(i => (double)i).ToArray();
        Save(directory, Files[0], s.Label, "Arrivals per second", "people/s", xs, ("arrivals", series.Arrivals.Select(v => (double)v).ToArray()));
        Save(directory, Files[1], s.Label, "Waiting in the gate", "people", xs,
            ("queued (counted by the simulator)", series.Queued.Select(v => (double)v).ToArray()),
            ("largest position announced", series.MaxQueuePosition.Select(v => (double)v).ToArray()));
        Save(directory, Files[2], s.Label, "Admitted and completed per second", "people/s", xs,
            ("admitted", series.Admitted.Select(v => (double)v).ToArray()),
            ("journeys completed", series.Completed.Select(v => (double)v).ToArray()),
            ("errors", series.Errors.Select(v => (double)v).ToArray()));
        Save(directory, Files[3], s.Label, "People in the site (arrived, not finished)", "people", xs, ("active", series.Active.Select(v => (double)v).ToArray()));
        Save(directory, Files[4], s.Label, "Admitted request latency (from intended start)", "ms", xs,
            ("p95", series.LatencyP95Ms), ("p99", series.LatencyP99Ms));
    }

    private static void Save(string directory, string file, string label, string title, string unit, double[] xs, params (string Name, double[] Ys)[] lines)
    {
        var plot = new Plot();
        plot.Title($"{title} — {label}");
        plot.XLabel("seconds since start");
        plot.YLabel(unit);
        foreach (var (name, ys) in lines)
        {
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = name;
            line.MarkerSize = 0;
        }

        if (lines.Length > 1)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.Axes.SetLimitsY(0, Math.Max(1, lines.Max(l => l.Ys.Length == 0 ? 0 : l.Ys.Max())) * 1.1);
        plot.SavePng(Path.Combine(directory, file), 900, 420);
    }
}
