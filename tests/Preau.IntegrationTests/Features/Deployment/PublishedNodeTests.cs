using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Preau.IntegrationTests.Browser;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Deployment;

/// <summary>
/// The README's region path, as an operator follows it: publish once, then from another folder, with
/// the configuration in environment variables (as the systemd unit gives it), start a node on an empty
/// PostgreSQL database, migrate, create the first administrator, start the node again.
/// </summary>
public sealed partial class PublishedNodeTests
{
    // Publishing reuses the build the tests run on (--no-build); a busy two-core machine still needs minutes.
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(10);

    [GeneratedRegex(@"Préau est ouvert : (http://\S+)")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+)\"")]
    private static partial Regex StylesheetPattern();

    [Fact]
    public async Task PublishedNode_StartedFromAnotherFolder_MigrateCreateAdminThenServesStyledPages()
    {
        await using var db = TestDatabase.Create("Postgres");
        var work = Directory.CreateTempSubdirectory("preau-publish-");
        try
        {
            var published = Path.Combine(work.FullName, "app");
            var elsewhere = Directory.CreateDirectory(Path.Combine(work.FullName, "elsewhere")).FullName;
            var (publishCode, publishOut, _) = await RunAsync("dotnet",
                ["publish", Path.Combine(ReadmeStartBrowserTests.RepositoryRoot(), "src", "Preau.Web"), "-c", Configuration(), "--no-build", "-o", published], elsewhere, []);
            Assert.True(publishCode == 0, publishOut);
            var apphost = Path.Combine(published, "Preau.Web");
            var dll = Path.Combine(published, "Preau.Web.dll");
            var region = new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["Database__ConnectionString"] = db.ConnectionString,
                ["Storage__DataDirectory"] = Path.Combine(work.FullName, "data"),
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            };

            // An 8-byte ticket key: refused in one French line, exit code 2.
            var weak = await RunAsync(apphost, [], elsewhere, new(region) { ["Gate__SigningKey"] = "AAAAAAAAAAA=" });
            Assert.Equal(2, weak.Code);
            Assert.StartsWith("Préau ne démarre pas : configuration invalide : Gate:SigningKey doit être", weak.Error, StringComparison.Ordinal);

            // Before migrate: the node exits 1 and names the command of this very host, no stack trace.
            var early = await RunAsync(apphost, [], elsewhere, region);
            Assert.Equal(1, early.Code);
            Assert.Contains($"{apphost} migrate", early.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", early.Error + early.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("dotnet run", early.Error, StringComparison.Ordinal);

            var unreachable = await RunAsync("dotnet", [dll, "migrate"], elsewhere,
                new(region) { ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=preau;Username=preau;Password=x;Timeout=3" });
            Assert.Equal(1, unreachable.Code);
            Assert.StartsWith("Migration impossible : base de données inaccessible (", unreachable.Error, StringComparison.Ordinal);

            var migrate = await RunAsync("dotnet", [dll, "migrate"], elsewhere, region);
            Assert.True(migrate.Code == 0, migrate.Error);
            Assert.StartsWith("Base de données à jour : ", migrate.Output, StringComparison.Ordinal);

            var admin = await RunAsync(apphost, ["create-admin", "--region", "NORM", "--region-name", "Académie de Normandie", "--login", "alix.durand",
                "--first-name", "Alix", "--last-name", "DURAND"], elsewhere, region);
            Assert.True(admin.Code == 0, admin.Error);
            Assert.Contains("Code d'activation (affiché une seule fois", admin.Output, StringComparison.Ordinal);

            var lines = new ConcurrentQueue<string>();
            using var node = Start(apphost, [], elsewhere, region, lines);
            try
            {
                var address = await WaitForAddressAsync(node, lines);
                using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
                var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                var signIn = await http.GetStringAsync(new Uri("/connexion", UriKind.Relative));
                var css = await http.GetStringAsync(new Uri(StylesheetPattern().Match(signIn).Groups[1].Value, UriKind.Relative));

                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                Assert.Contains(".bar{", css, StringComparison.Ordinal);
                var printed = string.Join('\n', lines);
                Assert.DoesNotContain("comptes de démonstration", printed, StringComparison.Ordinal);
                Assert.DoesNotContain("Executed DbCommand", printed, StringComparison.Ordinal); // appsettings.json's log levels were read
            }
            finally
            {
                node.Kill(entireProcessTree: true);
                await node.WaitForExitAsync();
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Configuration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    private static Process Start(string file, string[] args, string directory, Dictionary<string, string> environment, ConcurrentQueue<string> lines)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // The node gets what an operator gives it, not the test run's own host settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        process.OutputDataReceived += (_, e) => lines.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => lines.Enqueue("! " + (e.Data ?? ""));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, string[] args, string directory,
        Dictionary<string, string> environment)
    {
        var lines = new ConcurrentQueue<string>();
        using var process = Start(file, args, directory, environment, lines);
        using var timeout = new CancellationTokenSource(s_commandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end:\n{string.Join('\n', lines)}");
        }

        process.WaitForExit(); // the redirected streams are drained
        var output = string.Join('\n', lines.Where(l => !l.StartsWith("! ", StringComparison.Ordinal)));
        var error = string.Join('\n', lines.Where(l => l.StartsWith("! ", StringComparison.Ordinal)).Select(l => l[2..])).Trim();
        return (process.ExitCode, output, error);
    }

    private static async Task<Uri> WaitForAddressAsync(Process node, ConcurrentQueue<string> lines)
    {
        using var timeout = new CancellationTokenSource(s_commandTimeout);
        while (!timeout.IsCancellationRequested && !node.HasExited)
        {
            if (lines.Select(l => AddressPattern().Match(l)).FirstOrDefault(m => m.Success) is { } match)
            {
                return new Uri(match.Groups[1].Value);
            }

            await Task.Delay(100, CancellationToken.None);
        }

        throw new InvalidOperationException("The node did not print its address:\n" + string.Join('\n', lines.TakeLast(60)));
    }
}
