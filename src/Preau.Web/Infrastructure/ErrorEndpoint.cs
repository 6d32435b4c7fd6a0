using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Diagnostics;

namespace Preau.Web.Infrastructure;

/// <summary>
/// Target of the exception handler and of status-code re-execution: API callers get
/// ProblemDetails, people get a short French page. Never a stack trace.
/// </summary>
internal static class ErrorEndpoint
{
    public static IEndpointConventionBuilder MapErrorEndpoint(this WebApplication app) =>
        app.Map("/erreur", HandleAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task HandleAsync(HttpContext context, IProblemDetailsService problems)
    {
        try
        {
            await WriteAsync(context, problems);
        }
        finally
        {
            // Metrics label a request with the route of its endpoint at the end: give back the one that
            // failed, so that a 500 counts against the real route and not against /erreur.
            context.SetEndpoint(context.Features.Get<IExceptionHandlerFeature>()?.Endpoint
                ?? context.Features.Get<IStatusCodeReExecuteFeature>()?.Endpoint);
        }
    }

    private static async Task WriteAsync(HttpContext context, IProblemDetailsService problems)
    {
        var originalPath = context.Features.Get<IExceptionHandlerPathFeature>()?.Path
            ?? context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? context.Request.Path.Value ?? "/";
        var status = context.Response.StatusCode is >= 400 and < 600 ? context.Response.StatusCode : 404;
        if (int.TryParse(context.Request.Query["code"], out var code) && code is >= 400 and < 600)
        {
            status = code;
        }

        context.Response.StatusCode = status;
        var detail = ErrorHandling.FrenchDetail(status);
        if (context.Features.Get<IExceptionHandlerFeature>()?.Error is { } error && ErrorHandling.IsUnavailable(error))
        {
            detail = ErrorHandling.UnavailableDetail;
            context.Response.Headers.RetryAfter = ErrorHandling.UnavailableRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (originalPath.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = status, Detail = detail },
            });
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        var message = WebUtility.HtmlEncode(detail);
        await context.Response.WriteAsync($$"""
            <!doctype html>
            <html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Préau : erreur {{status}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style></head>
            <body><h1>Préau</h1><p role="alert">{{message}}</p><p><a href="/">Revenir à l'accueil</a></p></body></html>
            """);
    }
}
