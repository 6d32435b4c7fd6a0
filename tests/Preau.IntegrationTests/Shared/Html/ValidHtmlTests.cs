using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Preau.IntegrationTests.Html;

/// <summary>The Nu HTML Checker (vnu.jar, pinned in .ci/services.sh) finds no error on any page of any
/// profile, nor on the gate's waiting pages. One Java start checks every saved page.</summary>
public sealed class ValidHtmlTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> s_oneSeat = new()
    {
        ["Gate:MaxActiveUsers"] = "1",
        ["Gate:InitialAdmissionsPerSecond"] = "100",
        ["Gate:FairStartWindow"] = "00:00:00",
    };

    [Fact]
    public async Task EveryPage_EveryProfile_AndWaitingPage_NoNuCheckerError()
    {
        if (!JavaAvailable())
        {
            output.WriteLine("SKIPPED: no Java runtime (apt-get install default-jre-headless), the Nu HTML Checker cannot run.");
            return;
        }

        var jar = Environment.GetEnvironmentVariable("PREAU_TEST_VNU");
        Assert.True(File.Exists(jar), "PREAU_TEST_VNU must name vnu.jar: run the tests with ./test.sh, which installs it.");
        var folder = Directory.CreateTempSubdirectory("preau-vnu-");
        try
        {
            var saved = new Dictionary<string, string>();
            await SaveEveryPageAsync(folder.FullName, saved);
            await SaveWaitingPagesAsync(folder.FullName, saved);

            var errors = await RunVnuAsync(jar!, saved);

            foreach (var error in errors)
            {
                output.WriteLine(error);
            }

            Assert.Empty(errors);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task SaveEveryPageAsync(string folder, Dictionary<string, string> saved)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Gate:Enabled"] = "false" });
        var schools = await TestSchools.SeedAsync(app.Services);
        foreach (var (login, paths) in await ProfilePages.SeedAsync(app, schools))
        {
            using var client = app.CreateClient();
            if (login != "")
            {
                await TestSchools.LoginAsync(client, login);
            }

            foreach (var path in paths)
            {
                using var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{login} {path}: {response.StatusCode}");
                Save(folder, saved, $"{login} {path}", await response.Content.ReadAsStringAsync());
            }
        }
    }

    private static async Task SaveWaitingPagesAsync(string folder, Dictionary<string, string> saved)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        using var first = app.CreateClient();
        using var second = app.CreateClient();
        await first.GetAsync("/api/v1/gate/status");
        await first.GetAsync("/");
        await second.GetAsync("/api/v1/gate/status");

        using var queued = await second.GetAsync("/");
        using var waiting = await second.GetAsync("/attente?retour=/devoirs");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, queued.StatusCode);
        Save(folder, saved, "queued /", await queued.Content.ReadAsStringAsync());
        Save(folder, saved, "waiting /attente", await waiting.Content.ReadAsStringAsync());
    }

    private static void Save(string folder, Dictionary<string, string> saved, string name, string html)
    {
        var file = Path.Combine(folder, $"page-{saved.Count:D3}.html");
        File.WriteAllText(file, html);
        saved[file] = name;
    }

    /// <summary>One vnu run on every file; its JSON report lists errors by file.</summary>
    private static async Task<List<string>> RunVnuAsync(string jar, Dictionary<string, string> saved)
    {
        var start = new ProcessStartInfo("java") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-jar", jar, "--format", "json", "--exit-zero-always" }.Concat(saved.Keys))
        {
            start.ArgumentList.Add(argument);
        }

        using var vnu = Process.Start(start)!;
        var report = vnu.StandardError.ReadToEndAsync();
        await vnu.StandardOutput.ReadToEndAsync();
        await vnu.WaitForExitAsync();
        var json = JsonDocument.Parse(await report);
        return [.. json.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("type").GetString() == "error" || m.TryGetProperty("subType", out var sub) && sub.GetString() == "fatal")
            .Select(m => $"{Describe(saved, m)}: {m.GetProperty("message").GetString()} — {(m.TryGetProperty("extract", out var e) ? e.GetString() : "")}")];
    }

    private static string Describe(Dictionary<string, string> saved, JsonElement message)
    {
        var url = message.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
        var file = saved.Keys.FirstOrDefault(f => url.EndsWith(Path.GetFileName(f), StringComparison.Ordinal));
        var line = message.TryGetProperty("lastLine", out var l) ? l.GetInt32() : 0;
        return $"{(file is null ? url : saved[file])} (ligne {line})";
    }

    private static bool JavaAvailable()
    {
        try
        {
            using var java = Process.Start(new ProcessStartInfo("java", "-version") { RedirectStandardError = true, RedirectStandardOutput = true });
            java?.WaitForExit();
            return java is { ExitCode: 0 };
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
