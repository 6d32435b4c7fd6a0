namespace Preau.Web.Features.Diagnostics;

internal static class HelloEndpoints
{
    /// <summary>
    /// Anonymous and trivial on purpose: the yardstick the benchmarks compare real endpoints with
    /// (same host, same middleware, no data). Tells nothing about anyone.
    /// </summary>
    public static WebApplication MapDiagnostics(this WebApplication app)
    {
        app.MapGet("/api/v1/hello", () => TypedResults.Ok(new Hello("bonjour"))).AllowAnonymous().WithTags("Supervision").WithName("Hello");
        return app;
    }

    internal sealed record Hello(string Message);
}
