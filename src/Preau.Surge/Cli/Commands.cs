using System.Globalization;
using Preau.Surge.Accounts;
using Preau.Surge.Emulator;
using Preau.Surge.Journey;
using Preau.Surge.Planning;
using Preau.Surge.Reporting;
using Preau.Surge.Running;
using Preau.Surge.Schedule;

namespace Preau.Surge.Cli;

/// <summary>The subcommands: run, compare, plan, emulate. Each validates every option before the first request.</summary>
internal static class Commands
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(2);

    public const string Usage = """
        surge — simulateur d'affluence pour Préau (voir src/Preau.Surge/README.md)

          run      --target URL --accounts CSV --users N --window 60s [--profile spike|steady] [--impatience 10s]
                   [--max-reloads 3] [--think 2s] [--walk-away 0] [--duration-limit 15m] [--connections 1024] [--seed 42]
                   [--label TEXT] [--out DIR] [--quiet]
          compare  --target-a URL --target-b URL [--label-a TEXT] [--label-b TEXT] (+ every option of run)
          plan     --from DIR/summary.json --users 1000000 --window 30m [--profile spike|steady] [--gate on|off]
                   [--headroom 1.3] [--db-queries-per-request 2] [--db-queries-per-second 20000] [--out FILE]
                   [--node-users-per-second N] [--node-sign-ins-per-second N]
          emulate  [--port 5090] [--gate on|off] [--admit-per-second 50] [--hash-ms 5] [--hash-lane 2]
                   [--hash-queue 200] [--accounts 20000] [--accounts-out FILE] [--duration-limit 30m]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            await output.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var options = new ArgReader(args.Skip(1));
        return args[0] switch
        {
            "run" => await RunOneAsync(options, output, ct),
            "compare" => await CompareAsync(options, output, ct),
            "plan" => await PlanAsync(options, output, ct),
            "emulate" => await EmulateAsync(options, output, ct),
            _ => throw new SurgeInputException($"commande inconnue « {args[0]} » (run, compare, plan, emulate)."),
        };
    }

    private static ArrivalProfile ParseProfile(string? text) => text switch
    {
        null or "spike" => ArrivalProfile.Spike,
        "steady" => ArrivalProfile.Steady,
        _ => throw new SurgeInputException($"--profile : « {text} » (spike ou steady)."),
    };

    private sealed record RunInputs(SurgeSettings Settings, IReadOnlyList<SeedAccount> Accounts, IReadOnlyList<Arrival> Schedule,
        RunPlanDescription Plan, string OutDirectory, bool Quiet);

    private static RunInputs ReadRunInputs(ArgReader o, Uri target)
    {
        var accounts = AccountsCsv.Read(o.Required("accounts"));
        var users = o.Int("users", accounts.Count, 1, ArrivalSchedule.MaxUsers);
        var window = o.Duration("window", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), MaxDuration);
        var profile = ParseProfile(o.String("profile"));
        var settings = new SurgeSettings
        {
            Target = target,
            Impatience = o.Duration("impatience", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            MaxReloads = o.Int("max-reloads", 3, 0, 50),
            ThinkTime = o.Duration("think", TimeSpan.FromSeconds(2), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            WalkAwayShare = o.Double("walk-away", 0, 0, 1),
            DurationLimit = o.Duration("duration-limit", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(1), MaxDuration),
            Connections = o.Int("connections", 1024, 1, 20_000),
            Seed = o.Int("seed", 42, int.MinValue, int.MaxValue),
        };
        if (settings.DurationLimit < window)
        {
            throw new SurgeInputException("--duration-limit doit couvrir au moins --window.");
        }

        if (users > accounts.Count)
        {
            // Reusing a login would share one person's session between two virtual people.
            throw new SurgeInputException($"--users {users} dépasse les {accounts.Count} comptes du fichier.");
        }

        var schedule = ArrivalSchedule.Create(users, window, profile, settings.Seed, accounts.Count);
        return new RunInputs(settings, accounts, schedule, new RunPlanDescription(users, window, profile, accounts.Count),
            o.String("out") ?? "surge-report", o.Flag("quiet"));
    }

    private static async Task<RunSummary> ExecuteAsync(string label, RunInputs inputs, string outDirectory, TextWriter output, CancellationToken ct)
    {
        IProgressSink progress = inputs.Quiet ? new SilentProgress() : new ConsoleProgress();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"[{label}] {inputs.Plan.Users:N0} personnes vers {inputs.Settings.Target} sur {Durations.Format(inputs.Plan.Window)} ({inputs.Plan.Profile}), limite {Durations.Format(inputs.Settings.DurationLimit)}"));
        var result = await SurgeRunner.RunAsync(label, inputs.Settings, inputs.Accounts, inputs.Schedule, inputs.Plan, progress, ct);
        var summary = SummaryBuilder.Build(result);
        // A run ended by Ctrl+C or SIGTERM still writes its report: the cancelled token stops the run, not the writing.
        var write = CancellationToken.None;
        await ReportWriter.WriteAsync(summary, outDirectory, write);
        await ReportWriter.WriteEtaCsvAsync(result.Recorder.EtaSamples, Path.Combine(outDirectory, "eta.csv"), write);
        await ReportWriter.WriteAcknowledgedAsync(result.Recorder.Writes, Path.Combine(outDirectory, "acknowledged-writes.csv"), write);
        await ReportWriter.WriteErrorEventsAsync(result.Recorder.ErrorEvents, Path.Combine(outDirectory, "errors.csv"), write);
        await output.WriteLineAsync($"[{label}] rapport : {Path.Combine(outDirectory, "summary.md")}");
        return summary;
    }

    private static async Task<int> RunOneAsync(ArgReader o, TextWriter output, CancellationToken ct)
    {
        var target = TargetGuard.Parse(o.Required("target"), "--target");
        var inputs = ReadRunInputs(o, target);
        var label = o.String("label") ?? target.Authority;
        o.RejectUnknown();
        var summary = await ExecuteAsync(label, inputs, inputs.OutDirectory, output, ct);
        await output.WriteLineAsync(ReportWriter.Markdown(summary).Split("## Errors by kind")[0]);
        return 0;
    }

    private static async Task<int> CompareAsync(ArgReader o, TextWriter output, CancellationToken ct)
    {
        var targetA = TargetGuard.Parse(o.Required("target-a"), "--target-a");
        var targetB = TargetGuard.Parse(o.Required("target-b"), "--target-b");
        var labelA = o.String("label-a") ?? "A";
        var labelB = o.String("label-b") ?? "B";
        var inputs = ReadRunInputs(o, targetA);
        o.RejectUnknown();

        // One after the other, never at once: on one machine the two runs would fight for the same cores.
        var a = await ExecuteAsync(labelA, inputs, Path.Combine(inputs.OutDirectory, "a"), output, ct);
        var b = await ExecuteAsync(labelB, inputs with { Settings = inputs.Settings with { Target = targetB } }, Path.Combine(inputs.OutDirectory, "b"), output, ct);
        var comparison = ReportWriter.Comparison(a, b);
        await File.WriteAllTextAsync(Path.Combine(inputs.OutDirectory, "comparison.md"), comparison, ct);
        await output.WriteLineAsync(comparison);
        return 0;
    }

    private static async Task<int> PlanAsync(ArgReader o, TextWriter output, CancellationToken ct)
    {
        var from = o.Required("from");
        var summary = await ReportWriter.ReadAsync(from, ct);
        var input = new PlanInputs(
            o.Int("users", 1_000_000, 1, int.MaxValue),
            o.Duration("window", TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)),
            ParseProfile(o.String("profile")),
            o.String("gate") switch
            {
                null or "on" => true,
                "off" => false,
                var other => throw new SurgeInputException($"--gate : « {other} » (on ou off)."),
            },
            o.Double("headroom", 1.3, 1, 10),
            o.Double("db-queries-per-request", 2, 0, 1000),
            o.Double("db-queries-per-second", 20_000, 1, 10_000_000));
        var outFile = o.String("out");
        var usersOverride = o.Double("node-users-per-second", 0, 0, 1_000_000);
        var signInsOverride = o.Double("node-sign-ins-per-second", 0, 0, 1_000_000);
        o.RejectUnknown();

        var node = NodeFrom(summary, from);
        // A run behind a gate only shows what the gate let through: the operator may know the node does more.
        node = node with
        {
            UsersPerSecond = usersOverride > 0 ? usersOverride : node.UsersPerSecond,
            SignInsPerSecond = signInsOverride > 0 ? signInsOverride : node.SignInsPerSecond,
        };
        var plan = CapacityPlanner.Plan(node, input);
        var md = CapacityPlanner.Markdown(plan, input);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, md, ct);
        }

        await output.WriteLineAsync(md);
        return 0;
    }

    /// <summary>A node's capacity is what it sustained with p99 under a second; a run that never got there falls back to its peak.</summary>
    internal static NodeCapacity NodeFrom(RunSummary s, string source)
    {
        var users = s.Throughput.SustainedAdmittedPerSecond > 0 ? s.Throughput.SustainedAdmittedPerSecond : s.Throughput.PeakAdmittedPerSecond;
        // Recomputed from the steps so gate status polls (answered from the gate's counter) never size the database.
        var poll = s.Steps.FirstOrDefault(x => x.Name == SummaryBuilder.GatePollStep);
        var polls = poll is null ? 0 : poll.Latency.Count + poll.Errors.Values.Sum();
        var requestsPerUser = (double)(s.Requests - polls) / Math.Max(1, s.UsersArrived);
        return new NodeCapacity(users, s.Throughput.SignInsPerSecondPeak, requestsPerUser, source);
    }

    private static async Task<int> EmulateAsync(ArgReader o, TextWriter output, CancellationToken ct)
    {
        var options = new EmulatorOptions
        {
            Port = o.Int("port", 5090, 0, 65535),
            Gate = o.String("gate") switch
            {
                null or "on" => true,
                "off" => false,
                var other => throw new SurgeInputException($"--gate : « {other} » (on ou off)."),
            },
            AdmitPerSecond = o.Double("admit-per-second", 50, 0.1, 100_000),
            HashCost = TimeSpan.FromMilliseconds(o.Double("hash-ms", 5, 0, 1000)),
            HashLane = o.Int("hash-lane", 2, 1, 256),
            HashQueue = o.Int("hash-queue", 200, 0, 1_000_000),
            Accounts = o.Int("accounts", 20_000, 1, ArrivalSchedule.MaxUsers),
        };
        var accountsOut = o.String("accounts-out");
        var limit = o.Duration("duration-limit", TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(1), TimeSpan.FromHours(4));
        o.RejectUnknown();

        if (accountsOut is not null)
        {
            await EmulatorServer.WriteAccountsCsvAsync(accountsOut, options.Accounts, ct);
            await output.WriteLineAsync($"{options.Accounts} comptes écrits dans {accountsOut}");
        }

        await using var server = await EmulatorServer.StartAsync(options, ct);
        await output.WriteLineAsync($"émulateur Préau sur {server.BaseAddress} (gate {(options.Gate ? "on" : "off")}), arrêt après {Durations.Format(limit)} ou Ctrl+C");
        try
        {
            await Task.Delay(limit, ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop cleanly
        }

        await output.WriteLineAsync($"connexions réussies {server.SignIns}, pages d'attente servies {server.GatePages}");
        return 0;
    }
}
