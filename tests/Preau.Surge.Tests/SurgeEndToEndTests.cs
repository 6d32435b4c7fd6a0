using Preau.Surge.Cli;
using Preau.Surge.Emulator;
using Preau.Surge.Journey;
using Preau.Surge.Measurement;
using Preau.Surge.Reporting;
using Preau.Surge.Running;
using Preau.Surge.Schedule;

namespace Preau.Surge.Tests;

/// <summary>
/// A few hundred people for a few seconds against a real Kestrel on 127.0.0.1 speaking the gate,
/// sign-in and homework contracts. The gate admits fewer people per second than arrive, so people
/// really queue, poll, and are let in, and the ETA comparison runs on real numbers.
/// </summary>
public sealed class SurgeEndToEndTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("surge-test-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static SurgeSettings Settings(Uri target) => new()
    {
        Target = target,
        Impatience = TimeSpan.FromSeconds(10),
        ThinkTime = TimeSpan.FromMilliseconds(50),
        DurationLimit = TimeSpan.FromSeconds(45),
        Connections = 256,
    };

    private static async Task<RunSummary> RunAsync(EmulatorOptions options, int users, TimeSpan window, string outDirectory)
    {
        await using var server = await EmulatorServer.StartAsync(options, CancellationToken.None);
        var accounts = EmulatorServer.AccountsFor(options.Accounts).ToList();
        var schedule = ArrivalSchedule.Create(users, window, ArrivalProfile.Spike, 42, accounts.Count);
        var result = await SurgeRunner.RunAsync("test", Settings(server.BaseAddress), accounts, schedule,
            new RunPlanDescription(users, window, ArrivalProfile.Spike, accounts.Count), new SilentProgress(), CancellationToken.None);
        var summary = SummaryBuilder.Build(result);
        await ReportWriter.WriteAsync(summary, outDirectory, CancellationToken.None);
        return summary;
    }

    [Fact]
    public async Task RunAsync_GateOnAndASpike_EveryoneGetsThroughWithoutAnErrorPage()
    {
        // 300 people in 2 s is ~150/s at the peak; the gate lets 100/s in, so most queue.
        var options = new EmulatorOptions { Gate = true, AdmitPerSecond = 100, Accounts = 300, HashCost = TimeSpan.FromMilliseconds(1), HashQueue = 1000 };

        var s = await RunAsync(options, users: 300, TimeSpan.FromSeconds(2), _out);

        Assert.Equal(300, s.UsersArrived);
        Assert.Equal(300, s.JourneysCompleted);
        Assert.Equal(0, s.UsersWithErrorPage);
        Assert.Equal(0, s.UsersAbandoned);
        Assert.All(s.ErrorsByKind, e => Assert.Equal(0, e.Value));
        // Behaviour only: how long people waited depends on the machine and goes to BENCHMARKS.md.
        Assert.True(s.UsersQueued > 0, "nobody queued: the gate was not exercised");
        Assert.True(s.Eta.Samples > 0, "no wait time was promised");
        Assert.Equal(300, s.Steps.Single(x => x.Name == "2 connexion").Ok);
        foreach (var file in Plots.Files.Append("summary.md").Append("summary.json"))
        {
            Assert.True(new FileInfo(Path.Combine(_out, file)).Length > 0, file);
        }
    }

    [Fact]
    public async Task RunAsync_GateOffAndTheHashingLaneFull_ReportsWhatBreaks()
    {
        // No gate, a lane of one with no queue: the spike meets 503 + Retry-After at sign-in.
        var options = new EmulatorOptions { Gate = false, Accounts = 200, HashCost = TimeSpan.FromMilliseconds(20), HashLane = 1, HashQueue = 0 };

        var s = await RunAsync(options, users: 200, TimeSpan.FromSeconds(1), _out);

        Assert.Equal(0, s.UsersQueued);
        Assert.True(s.ErrorsByKind[nameof(ErrorKind.Busy)] > 0);
        Assert.True(s.UsersWithErrorPage > 0);
        Assert.Equal(s.UsersArrived, s.JourneysCompleted + s.JourneysFailed + s.UsersAbandoned);
    }

    [Fact]
    public async Task Commands_RunWithWrites_ListsEveryAcknowledgedWriteWithItsId()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Gate = false, Accounts = 200 }, CancellationToken.None);
        var accounts = Path.Combine(_out, "accounts.csv");
        await EmulatorServer.WriteAccountsCsvAsync(accounts, 200, CancellationToken.None);

        var code = await Commands.RunAsync(["run", "--target", server.BaseAddress.ToString(), "--accounts", accounts, "--users", "200",
            "--window", "1s", "--think", "10ms", "--duration-limit", "30s", "--out", Path.Combine(_out, "w"), "--quiet"], TextWriter.Null, CancellationToken.None);

        var summary = await ReportWriter.ReadAsync(Path.Combine(_out, "w", "summary.json"), CancellationToken.None);
        var lines = await File.ReadAllLinesAsync(Path.Combine(_out, "w", "acknowledged-writes.csv"));
        Assert.Equal(0, code);
        Assert.Equal("kind;id;at", lines[0]);
        Assert.All(new[] { "homework", "tick", "message" }, kind => Assert.True(summary.AcknowledgedWrites.GetValueOrDefault(kind) > 0, kind));
        Assert.Equal(summary.AcknowledgedWrites.Values.Sum(), lines.Length - 1);
        Assert.Contains(lines, l => l.StartsWith("homework;900;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("message;700;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("tick;101:", StringComparison.Ordinal)); // entry:pupil
        Assert.Equal("at;step;kind", (await File.ReadAllLinesAsync(Path.Combine(_out, "w", "errors.csv")))[0]);
    }

    [Fact]
    public async Task RunAsync_HomeworkNotDeployed_StepsSkippedNotErrors()
    {
        var options = new EmulatorOptions { Gate = false, Accounts = 40, Homework = false };

        var s = await RunAsync(options, users: 40, TimeSpan.FromSeconds(1), _out);

        Assert.Equal(40, s.JourneysCompleted);
        Assert.Equal(0, s.UsersWithErrorPage);
        Assert.True(s.Steps.Where(x => x.Name.StartsWith('5')).Sum(x => x.Skipped) > 0);
    }

    [Fact]
    public async Task RunAsync_NothingListening_ConnectionRefusedAndEveryoneGivesUp()
    {
        var accounts = EmulatorServer.AccountsFor(5).ToList();
        var schedule = ArrivalSchedule.Create(5, TimeSpan.FromSeconds(1), ArrivalProfile.Steady, 1, 5);
        var settings = Settings(new Uri("http://127.0.0.1:9/")) with { MaxReloads = 1 };

        var result = await SurgeRunner.RunAsync("refused", settings, accounts, schedule,
            new RunPlanDescription(5, TimeSpan.FromSeconds(1), ArrivalProfile.Steady, 5), new SilentProgress(), CancellationToken.None);

        Assert.Equal(5, result.Recorder.Abandoned);
        Assert.Equal(10, result.Recorder.ErrorsOfKind(ErrorKind.ConnectionRefused));
    }

    [Fact]
    public async Task RunAsync_SignInSlowerThanPatience_PeopleReloadThenGiveUpWithoutAnErrorPage()
    {
        await using var server = await EmulatorServer.StartAsync(
            new EmulatorOptions { Gate = false, Accounts = 3, HashCost = TimeSpan.FromMilliseconds(600), HashLane = 1 }, CancellationToken.None);
        using (var warm = new HttpClient())
        {
            // the first request JIT-compiles the server; the people below must only be impatient with the sign-in
            _ = await warm.GetStringAsync(new Uri(server.BaseAddress, "/connexion"));
        }

        var accounts = EmulatorServer.AccountsFor(3).ToList();
        var schedule = ArrivalSchedule.Create(3, TimeSpan.FromSeconds(1), ArrivalProfile.Steady, 1, 3);
        var settings = Settings(server.BaseAddress) with { Impatience = TimeSpan.FromMilliseconds(250), MaxReloads = 1 };

        var result = await SurgeRunner.RunAsync("impatient", settings, accounts, schedule,
            new RunPlanDescription(3, TimeSpan.FromSeconds(1), ArrivalProfile.Steady, 3), new SilentProgress(), CancellationToken.None);
        var r = result.Recorder;

        // each person waits, reloads once, waits again and gives up; a spinner is not an error page
        Assert.Equal(3, r.Abandoned);
        Assert.Equal(0, r.Completed);
        Assert.Equal(0, r.UsersWithErrorPage);
        Assert.True(r.ErrorsOfKind(ErrorKind.Timeout) >= 6);
        Assert.True(r.Step("2 connexion").Errors(ErrorKind.Timeout) >= 2);
    }

    [Fact]
    public async Task Commands_CompareGateOnAndOffThenPlan_WritesComparisonAndPlan()
    {
        await using var on = await EmulatorServer.StartAsync(new EmulatorOptions { Gate = true, AdmitPerSecond = 200, Accounts = 100 }, CancellationToken.None);
        await using var off = await EmulatorServer.StartAsync(new EmulatorOptions { Gate = false, Accounts = 100 }, CancellationToken.None);
        var csv = Path.Combine(_out, "accounts.csv");
        await EmulatorServer.WriteAccountsCsvAsync(csv, 100, CancellationToken.None);
        var output = new StringWriter();

        var code = await Commands.RunAsync(["compare", "--target-a", on.BaseAddress.ToString(), "--target-b", off.BaseAddress.ToString(),
            "--label-a", "gate on", "--label-b", "gate off", "--accounts", csv, "--users", "100", "--window", "1s", "--think", "20ms",
            "--duration-limit", "30s", "--out", _out, "--quiet"], output, CancellationToken.None);
        var planCode = await Commands.RunAsync(["plan", "--from", Path.Combine(_out, "a", "summary.json"), "--users", "1000000", "--window", "30m"],
            output, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(0, planCode);
        Assert.Contains("| gate on | gate off |", await File.ReadAllTextAsync(Path.Combine(_out, "comparison.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_out, "b", "latency.png")));
        Assert.StartsWith("promised_low_s,", await File.ReadAllTextAsync(Path.Combine(_out, "a", "eta.csv")), StringComparison.Ordinal);
        Assert.Contains("web nodes to deploy", output.ToString(), StringComparison.Ordinal);
    }
}
