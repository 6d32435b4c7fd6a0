using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

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
            // The framework fills in English titles ("Bad Request", "Not Found", …): people read French.
            if (ctx.ProblemDetails.Title is null || s_frameworkTitles.Contains(ctx.ProblemDetails.Title)
                || ctx.ProblemDetails.Title == ReasonPhrases.GetReasonPhrase(ctx.ProblemDetails.Status ?? 500))
            {
                ctx.ProblemDetails.Title = FrenchTitle(ctx.ProblemDetails.Status);
            }
        });
        return builder;
    }

    private static readonly HashSet<string> s_frameworkTitles = new(StringComparer.Ordinal)
    {
        "One or more validation errors occurred.",
        "An error occurred while processing your request.",
        "Unsupported Media Type",
        "Payload Too Large",
        "Request Entity Too Large",
    };

    public static WebApplication UsePreauErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/erreur",
            // Pages get the French page; API callers get ProblemDetails from the same handler.
            // A database or Redis out of reach is the service unavailable for a moment, not an unexpected error.
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when IsUnavailable(ex) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        // Only responses without a body (a bare 404, 401, 405…) are re-executed.
        app.UseStatusCodePagesWithReExecute("/erreur", "?code={0}");
        return app;
    }

    /// <summary>Seconds announced in Retry-After when a database or Redis could not be reached.</summary>
    public const int UnavailableRetryAfterSeconds = 5;

    /// <summary>Shown instead of the generic 503 text when the request failed because a database or Redis could not be
    /// reached: it says that what was sent is not saved, so that nobody believes it was.</summary>
    public const string UnavailableDetail =
        "Préau n'arrive pas à joindre sa base de données en ce moment : rien n'a été enregistré. Réessayez dans quelques secondes.";

    /// <summary>
    /// A failure of the service's own parts, not of the request: a database unreachable or timing out (PostgreSQL's
    /// transient errors, SQLite still busy or locked once its own retries ran out), Redis unreachable or timing out, a
    /// socket or a timeout anywhere in the chain. A constraint violation or a bad query is not one (it stays a 500).
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or SocketException or RedisConnectionException or RedisTimeoutException
                or NpgsqlException { IsTransient: true } or SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return true;
            }
        }
        return false;
    }

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool IsApiRequest(this HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static string FrenchTitle(int? status) => status switch
    {
        400 => "Demande incorrecte",
        401 => "Connexion nécessaire",
        403 => "Accès refusé",
        404 => "Introuvable",
        405 => "Méthode non permise",
        406 => "Format de réponse non disponible",
        408 => "Délai dépassé",
        409 => "Conflit",
        410 => "Plus disponible",
        412 => "Condition non remplie",
        413 => "Demande trop volumineuse",
        415 => "Format non accepté",
        422 => "Demande impossible à traiter",
        429 => "Trop de demandes",
        503 => "Service très sollicité",
        _ => "Erreur inattendue",
    };

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
