using System.Net;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Preau.Gate;
using Preau.Web.Shared.Http;

namespace Preau.Web.Infrastructure;

/// <summary>Section <c>Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>/metrics</c> to loopback callers only (a Prometheus on the same host or a sidecar).
    /// Set to false when the scraper sits elsewhere behind a private network.</summary>
    public bool LoopbackOnly { get; set; } = true;
}

internal static class Telemetry
{
    /// <summary>Meter of Préau's own instruments (hashing lane…).</summary>
    public const string MeterName = "Preau";

    /// <summary>OpenTelemetry <c>service.name</c>: <c>service_name="preau"</c> on the scraped target.</summary>
    public const string ServiceName = "preau";

    public static WebApplicationBuilder AddPreauTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(GateSetup.MeterName, MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Answers 404 to <c>/metrics</c> from anywhere but loopback, unless configured otherwise. A request a
    /// proxy relayed is never loopback's own, even when the proxy runs on the same host.</summary>
    public static WebApplication UseMetricsForLoopbackOnly(this WebApplication app)
    {
        var loopbackOnly = app.Configuration.GetValue($"{MetricsOptions.Section}:{nameof(MetricsOptions.LoopbackOnly)}", true);
        app.UseWhen(
            ctx => ctx.Request.Path.StartsWithSegments("/metrics") && loopbackOnly
                && (!(ctx.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)) || Proxies.IsRelayed(ctx.Request)),
            branch => branch.Run(ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));
        return app;
    }

    /// <summary><c>/metrics</c> in Prometheus text format, anonymous.</summary>
    public static WebApplication MapPreauMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
