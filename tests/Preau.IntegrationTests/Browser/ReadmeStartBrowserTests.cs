using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Seed;

namespace Preau.IntegrationTests.Browser;

/// <summary>
/// Préau started exactly as the README says, from a fresh copy of the tree: `dotnet run --project
/// src/Preau.Web`, the same environment, nothing added. The app prints the address it listens on
/// and the demo logins; the test reads both, as a newcomer would.
/// </summary>
public sealed partial class ReadmeStartBrowserTests
{
    // A fresh copy builds, migrates and fills the demo school before it prints its address: on a
    // two-core machine shared with five other builds that took over 15 minutes.
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(25);

    [Fact]
    public async Task ReadmeStart_FreshCopy_PagesStyledAndPupilSeesLessonsAndHomework()
    {
        var copy = Directory.CreateTempSubdirectory("preau-readme-");
        try
        {
            CopyTree(RepositoryRoot(), copy.FullName);
            await using var app = await StartedApp.RunAsync(copy.FullName);

            // The stylesheet every page links, as a browser asks for it (gzip accepted).
            using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = app.Address };
            var signIn = await http.GetStringAsync(new Uri("/connexion", UriKind.Relative));
            var cssPath = StylesheetPattern().Match(signIn).Groups[1].Value;
            Assert.NotEmpty(cssPath);
            using var cssRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(cssPath, UriKind.Relative));
            cssRequest.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
            var css = await (await http.SendAsync(cssRequest)).Content.ReadAsStringAsync();
            Assert.Contains(".bar{", css, StringComparison.Ordinal);

            var pupil = DemoSchool.ReadLogins(Path.Combine(copy.FullName, "src", "Preau.Web", "data")).First(l => l.Profile == "Élève");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("PREAU_TEST_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = app.Address.ToString(), ViewportSize = new ViewportSize { Width = 360, Height = 740 }, Locale = "fr-FR",
            });
            context.SetDefaultTimeout(60_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/connexion");

            // A rule of site.css applies: the header bar is Préau blue, not the browser's default.
            Assert.Equal("rgb(29, 78, 137)", await page.Locator("header.bar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

            await page.GetByLabel("Identifiant").FillAsync(pupil.Login);
            await page.GetByLabel("Mot de passe").FillAsync(pupil.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
            await BrowserSession.WaitForPageAsync(page, url => new Uri(url).AbsolutePath == "/");

            // Today's lessons (the next school day's on a weekend) and homework from the living demo.
            Assert.True(await page.Locator("ul.lessons li").CountAsync() > 0, "The dashboard shows no lesson.");
            Assert.True(await page.Locator("article.entry, .entry").CountAsync() > 0, "The dashboard shows no homework.");
            Assert.Equal(0, await page.GetByText("Rien à faire pour les jours qui viennent.").CountAsync());
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    /// <summary>The repository root: the folder of Preau.slnx above the test binaries.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Preau.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Preau.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>What a clone holds: sources and build files, without build outputs or local data.</summary>
    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj" or "data" or ".git" or "tests" or "bench" or "benchmarks" or "TestResults")
            {
                continue;
            }

            Directory.CreateDirectory(Path.Combine(to, name));
            CopyTree(dir, Path.Combine(to, name));
        }
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+)\"")]
    private static partial Regex StylesheetPattern();

    [GeneratedRegex(@"Préau est ouvert : (http://\S+)")]
    private static partial Regex AddressPattern();

    private sealed class StartedApp : IAsyncDisposable
    {
        private readonly Process _process;

        private StartedApp(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<StartedApp> RunAsync(string root)
        {
            var start = new ProcessStartInfo("dotnet", ["run", "--project", "src/Preau.Web"])
            {
                WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start.");
            var lines = new ConcurrentQueue<string>();
            var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lines.Enqueue(e.Data);
                if (AddressPattern().Match(e.Data) is { Success: true } m)
                {
                    // "localhost" may resolve to ::1 first; Kestrel listens on both.
                    address.TrySetResult(new Uri(m.Groups[1].Value.Split(' ')[0]));
                }
            };
            process.ErrorDataReceived += (_, e) => lines.Enqueue(e.Data ?? "");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(address.Task, exited, Task.Delay(s_startTimeout));
            if (first != address.Task)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("Préau did not print its address:\n" + string.Join('\n', lines.TakeLast(60)));
            }

            return new StartedApp(process, await address.Task);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
