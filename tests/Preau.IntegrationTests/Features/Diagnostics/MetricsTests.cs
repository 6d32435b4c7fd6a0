using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Timeline;

namespace Preau.IntegrationTests.Features.Diagnostics;

/// <summary>/metrics as Prometheus and its linter read it: the service name, the real route of a 500.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterAServerError_ServiceNamedPreau_RealRouteLabelled_PromtoolClean()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db, new Dictionary<string, string?> { ["Metrics:LoopbackOnly"] = "false" });
        // The timeline's service cannot be built: its endpoint fails with an unexpected error (500).
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(
            s => s.AddScoped<TimelineFeed>(_ => throw new InvalidOperationException("panne simulée"))));
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        using var failed = await client.GetAsync("/api/v1/timeline");
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Contains("service_name=\"preau\"", metrics, StringComparison.Ordinal);
        var serverErrors = metrics.Split('\n')
            .Where(l => l.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal) && l.Contains("http_response_status_code=\"500\"", StringComparison.Ordinal))
            .ToList();
        Assert.True(serverErrors.Any(l => l.Contains("http_route=\"/api/v1/timeline", StringComparison.Ordinal)),
            string.Join('\n', metrics.Split('\n').Where(l => l.Contains("500", StringComparison.Ordinal) || l.Contains("timeline", StringComparison.Ordinal))));
        Assert.DoesNotContain(serverErrors, l => l.Contains("/erreur", StringComparison.Ordinal));
        var (exit, report) = await PromtoolAsync(metrics);
        Assert.True(exit == 0 && report.Trim().Length == 0, $"promtool check metrics ({exit}):\n{report}");
    }

    private static async Task<(int Exit, string Report)> PromtoolAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var promtool = Process.Start(start)
            ?? throw new InvalidOperationException("promtool is missing: run the tests with ./test.sh, which installs the Debian package prometheus.");
        var output = promtool.StandardOutput.ReadToEndAsync();
        var errors = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, await output + await errors);
    }
}
