namespace Preau.Web.Infrastructure;

internal static class ErrorHandling
{
    /// <summary>ProblemDetails (RFC 9457) for every API error; pages get a French error page.</summary>
    public static WebApplicationBuilder AddPreauErrors(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier);
            ctx.ProblemDetails.Detail ??= FrenchDetail(ctx.ProblemDetails.Status);
        });
        return builder;
    }

    public static WebApplication UsePreauErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/erreur",
            // Pages get the French page; API callers get ProblemDetails from the same handler.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        // Only responses without a body (a bare 404, 401, 405…) are re-executed.
        app.UseStatusCodePagesWithReExecute("/erreur", "?code={0}");
        return app;
    }

    public static bool IsApiRequest(this HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static string FrenchDetail(int? status) => status switch
    {
        400 => "La demande est incorrecte.",
        401 => "Vous devez vous connecter.",
        403 => "Vous n'avez pas accès à cette ressource.",
        404 => "Cette page ou cette ressource n'existe pas.",
        405 => "Cette action n'est pas permise ici.",
        408 => "La demande a pris trop de temps.",
        413 => "La demande est trop volumineuse.",
        415 => "Ce format de contenu n'est pas accepté.",
        429 => "Trop de demandes : patientez un instant avant de réessayer.",
        503 => "Préau est très sollicité : patientez un instant, votre demande sera traitée.",
        _ => "Une erreur inattendue s'est produite. Nos équipes en sont informées.",
    };
}
