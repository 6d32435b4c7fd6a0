using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Data;

namespace Preau.Web.Features.Health;

internal static class HealthEndpoints
{
    /// <summary>Anonymous: load balancers and the person on call must reach them without an account.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        var group = app.MapGroup("").AllowAnonymous().WithTags("Health").DisableAntiforgery();
        group.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok")));
        group.MapGet("/readyz", ReadyAsync);
        return app;
    }

    internal sealed record HealthStatus(string Status);

    private static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> ReadyAsync(PreauDbContext db, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            if (await db.Database.CanConnectAsync(timeout.Token))
            {
                return TypedResults.Ok(new HealthStatus("ready"));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // fall through: the database did not answer in time
        }

        return TypedResults.Problem("La base de données ne répond pas.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
