using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Preau.Data;

namespace Preau.Web.Features.Health;

internal static class HealthEndpoints
{
    private static readonly TimeSpan s_databaseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Readiness is ASP.NET Core's health checks: the database answers (EF Core's CanConnect) within 3 s.</summary>
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDbContextCheck<PreauDbContext>("database");
        builder.Services.Configure<HealthCheckServiceOptions>(o =>
        {
            foreach (var registration in o.Registrations)
            {
                registration.Timeout = s_databaseTimeout;
            }
        });
        return builder;
    }

    /// <summary>Anonymous: load balancers and the person on call must reach them without an account.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        // Liveness runs no check: the process answers, whatever the database does.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (http, _) => WriteOkAsync(http, "ok") })
            .AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { ResponseWriter = WriteReadinessAsync }).AllowAnonymous();
        return app;
    }

    internal sealed record HealthState(string Status);

    private static Task WriteOkAsync(HttpContext http, string status) => http.Response.WriteAsJsonAsync(new HealthState(status));

    private static Task WriteReadinessAsync(HttpContext http, HealthReport report) =>
        report.Status == HealthStatus.Healthy
            ? WriteOkAsync(http, "ready")
            : TypedResults.Problem("La base de données ne répond pas.", statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Service indisponible").ExecuteAsync(http);
}
