using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Preau.Data;

namespace Preau.Web.Features.Health;

internal static class HealthEndpoints
{
    private static readonly TimeSpan s_databaseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Readiness is ASP.NET Core's health checks: the database answers (EF Core's CanConnect) within 3 s.
    /// Redis, when the gate uses it, is reported but only as "degraded": every node falls back to its own
    /// gate without it, so taking them all out of the load balancer would turn a slower region into no region.</summary>
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks().AddDbContextCheck<PreauDbContext>("database");
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Gate:Redis"]))
        {
            builder.Services.AddSingleton<RedisHealthCheck>();
            checks.AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded);
        }

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

    internal sealed record HealthState(string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null);

    private static Task WriteOkAsync(HttpContext http, string status) => http.Response.WriteAsJsonAsync(new HealthState(status));

    private static Task WriteReadinessAsync(HttpContext http, HealthReport report) => report.Status switch
    {
        HealthStatus.Healthy => WriteOkAsync(http, "ready"),
        HealthStatus.Degraded => http.Response.WriteAsJsonAsync(new HealthState("degraded",
            "Redis ne répond pas : ce nœud sert avec sa propre file d'attente et sa part des limites.")),
        _ => TypedResults.Problem("La base de données ne répond pas.", statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Service indisponible").ExecuteAsync(http),
    };
}
