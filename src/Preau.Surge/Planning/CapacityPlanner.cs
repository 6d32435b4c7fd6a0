using System.Globalization;
using System.Text;
using Preau.Surge.Cli;
using Preau.Surge.Schedule;

namespace Preau.Surge.Planning;

/// <summary>What one measured node did, read from a run's summary.json.</summary>
internal sealed record NodeCapacity(double UsersPerSecond, double SignInsPerSecond, double RequestsPerUser, string Source);

internal sealed record PlanInputs(long Users, TimeSpan Window, ArrivalProfile Profile, bool Gate, double Headroom,
    double DbQueriesPerRequest, double DbQueriesPerSecondPerNode);

internal sealed record CapacityPlan(double MeanArrivalsPerSecond, double RequiredUsersPerSecond, int PageNodes, int HashingNodes,
    int WebNodes, double DbQueriesPerSecond, int DbNodes, double LongestQueueWaitSeconds, IReadOnlyList<string> Assumptions);

/// <summary>
/// Scales a measured node to a region. Deliberately simple arithmetic whose every input is
/// printed, so a reader can redo it by hand and argue with the assumptions rather than the code.
/// </summary>
internal static class CapacityPlanner
{
    public static CapacityPlan Plan(NodeCapacity node, PlanInputs input)
    {
        if (node.UsersPerSecond <= 0)
        {
            throw new SurgeInputException("la mesure ne contient aucun débit admis : impossible de dimensionner à partir d'elle.");
        }

        if (input.Users < 1 || input.Window <= TimeSpan.Zero || input.Headroom < 1)
        {
            throw new SurgeInputException("--users ≥ 1, --window > 0 et --headroom ≥ 1 sont attendus.");
        }

        var mean = input.Users / input.Window.TotalSeconds;
        // With a gate, the region only has to drain the window's average rate (plus headroom): the
        // gate turns the spike into a queue. Without one, it must absorb the spike's peak.
        var required = (input.Gate ? mean : mean * ArrivalSchedule.PeakToMeanRatio(input.Profile)) * input.Headroom;
        var pageNodes = (int)Math.Ceiling(required / node.UsersPerSecond);
        var hashingNodes = node.SignInsPerSecond > 0 ? (int)Math.Ceiling(required / node.SignInsPerSecond) : pageNodes;
        var webNodes = Math.Max(pageNodes, hashingNodes);
        var dbQueries = required * node.RequestsPerUser * input.DbQueriesPerRequest;
        var dbNodes = Math.Max(1, (int)Math.Ceiling(dbQueries / input.DbQueriesPerSecondPerNode));
        var wait = input.Gate ? LongestWait(input.Profile, input.Window, input.Users, required) : 0;

        var assumptions = new List<string>
        {
            $"one node = the node measured in {node.Source}: {F(node.UsersPerSecond)} people/s admitted with p99 < 1 s, {F(node.SignInsPerSecond)} sign-ins/s, {F(node.RequestsPerUser)} requests per person",
            "nodes scale linearly (stateless web nodes behind a load balancer; the gate's counter shared through Redis)",
            "each person signs in once (one password hash) and follows the measured journey",
            input.Gate
                ? $"the gate is on: capacity = mean arrival rate × {F(input.Headroom)} headroom; the {input.Profile.ToString().ToLowerInvariant()} peak waits in the queue instead"
                : $"no gate: capacity = peak rate ({F(ArrivalSchedule.PeakToMeanRatio(input.Profile))} × mean for a {input.Profile.ToString().ToLowerInvariant()}) × {F(input.Headroom)} headroom",
            $"database: {F(input.DbQueriesPerRequest)} queries per request, {F(input.DbQueriesPerSecondPerNode)} queries/s per database node (an assumption: the run cannot isolate the database)",
            "password hashing runs on the web nodes; \"hashing\" is how many nodes hashing alone would keep busy",
        };
        return new CapacityPlan(mean, required, pageNodes, hashingNodes, webNodes, dbQueries, dbNodes, wait, assumptions);
    }

    /// <summary>Fluid model of the queue: cumulative arrivals of the profile against a constant admission rate.</summary>
    public static double LongestWait(ArrivalProfile profile, TimeSpan window, long users, double admitPerSecond)
    {
        const int Steps = 2000;
        var dt = window.TotalSeconds / Steps;
        double backlog = 0, longest = 0;
        for (var i = 0; i < Steps; i++)
        {
            var t0 = i * dt;
            var arrived = users * (Cdf(profile, window.TotalSeconds, t0 + dt) - Cdf(profile, window.TotalSeconds, t0));
            backlog = Math.Max(0, backlog + arrived - (admitPerSecond * dt));
            longest = Math.Max(longest, backlog / admitPerSecond);
        }

        return longest;
    }

    private static double Cdf(ArrivalProfile profile, double window, double t)
    {
        if (profile == ArrivalProfile.Steady)
        {
            return Math.Clamp(t / window, 0, 1);
        }

        // truncated normal, mean W/2, σ = W/6, renormalised over [0, W]
        static double Phi(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));
        var sigma = window / 6;
        var lo = Phi(-3);
        return (Phi((t - (window / 2)) / sigma) - lo) / (Phi(3) - lo);
    }

    /// <summary>Abramowitz–Stegun 7.1.26, error below 1.5e-7: ample for a capacity estimate.</summary>
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + (0.3275911 * x));
        var y = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }

    private static string F(double v) => v.ToString(v >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture);

    public static string Markdown(CapacityPlan plan, PlanInputs input)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Capacity plan: {input.Users:N0} people in {Durations.Format(input.Window)} ({input.Profile.ToString().ToLowerInvariant()}, gate {(input.Gate ? "on" : "off")})");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| mean arrival rate | {F(plan.MeanArrivalsPerSecond)} people/s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| rate to serve | {F(plan.RequiredUsersPerSecond)} people/s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| web nodes for pages | {plan.PageNodes} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| web nodes for password hashing | {plan.HashingNodes} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **web nodes to deploy** | **{plan.WebNodes}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| database load | {F(plan.DbQueriesPerSecond)} queries/s → **{plan.DbNodes}** node(s) |");
        if (input.Gate)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| longest wait in the gate (fluid model) | {F(plan.LongestQueueWaitSeconds)} s |");
        }

        md.AppendLine();
        md.AppendLine("Assumptions:");
        foreach (var a in plan.Assumptions)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {a}");
        }

        return md.ToString();
    }
}
