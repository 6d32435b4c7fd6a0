using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Preau.Gate;

namespace Preau.Web.Shared.Http;

/// <summary>
/// Headers every response carries, decided in one place when the response starts (so error pages,
/// redirects and the gate's pages get them too): security headers, the cache rule, the 401 challenge,
/// and redirects that never point at a host nobody configured.
/// </summary>
internal static class ResponseStandards
{
    /// <summary>How a client signs in (RFC 9110 §11.6.1 wants a challenge on every 401): a cookie obtained
    /// from the sign-in form or from <c>POST /api/v1/auth/login</c>. ASCII only, as header values must be.</summary>
    public const string Challenge = "Cookie realm=\"Preau\", form-action=\"/connexion\"";

    private const string NonceKey = "preau.csp-nonce";

    /// <summary>Responses that hold a secret (passwords typed, activation or reset codes, login cards,
    /// accounts sheets): never stored by any cache, not even the browser's.</summary>
    private static readonly string[] s_secretPaths =
    [
        "/connexion", "/activation", "/compte/mot-de-passe", "/etablissement/cartes", "/etablissement/codes",
        "/etablissement/import", "/api/v1/auth", "/api/v1/accounts", "/api/v1/me/password",
    ];

    public static WebApplication UsePreauResponseStandards(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                // Kestrel drops a HEAD body by itself; any other server (the test host) gets none either.
                context.Response.Body = Stream.Null;
            }

            context.Response.OnStarting(static state =>
            {
                Apply((HttpContext)state);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }

    /// <summary>The nonce that lets this response's own inline scripts run under the CSP.</summary>
    public static string CspNonce(this HttpContext context)
    {
        if (context.Items[NonceKey] is not string nonce)
        {
            // Hex, not base64: Razor would HTML-encode "+" and the attribute would no longer match the header.
            nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    private static void Apply(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context);
        }

        if (response.StatusCode == StatusCodes.Status401Unauthorized && !headers.ContainsKey(HeaderNames.WWWAuthenticate))
        {
            headers.WWWAuthenticate = Challenge;
        }

        if (s_secretPaths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            headers.CacheControl = "no-store";
        }
        else if (!headers.ContainsKey(HeaderNames.CacheControl) && context.User.Identity?.IsAuthenticated == true)
        {
            // Authentication is by cookie: a shared cache must never keep one person's page for another,
            // and the browser checks back before showing it again (after sign-out, on a shared computer).
            headers.CacheControl = "private, no-cache";
        }

        if (response.Headers.Location.ToString() is { Length: > 0 } location)
        {
            headers.Location = PublicLocation(context, location);
        }
    }

    private static string ContentSecurityPolicy(HttpContext context)
    {
        // The gate's pages are self-contained (inline style and a tiny script, nothing user-written).
        var script = context.Response.Headers.ContainsKey(GateSignals.Header) ? "'self' 'unsafe-inline'"
            : context.Items[NonceKey] is string nonce ? $"'self' 'nonce-{nonce}'"
            : "'self'";
        return $"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary>The framework builds some redirects (the sign-in one) from the request's Host: make them
    /// point at the configured public address instead.</summary>
    private static string PublicLocation(HttpContext context, string location)
    {
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        return location.StartsWith(own + "/", StringComparison.OrdinalIgnoreCase)
            ? PublicAddress.Link(context, location[own.Length..])
            : location;
    }
}

/// <summary>
/// API writes authenticated by the cookie must come from Préau's own pages or a same-site app: a
/// cross-site form or script rides on the cookie (SameSite=Lax lets top-level POSTs through in some
/// browsers), so it is refused with a French 403 before anything runs.
/// </summary>
internal static class CrossSiteWrites
{
    public static WebApplication UsePreauCrossSiteGuard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsCrossSiteCookieWrite(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status403Forbidden,
                        Title = "Demande venue d'un autre site",
                        Detail = "Cette modification doit être faite depuis Préau : une demande envoyée par un autre site est refusée.",
                    },
                });
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool IsCrossSiteCookieWrite(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return false;
        }

        var cookie = context.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie.Name;
        if (cookie is null || !request.Cookies.ContainsKey(cookie))
        {
            return false;
        }

        // The Origin, when sent, decides: another of the deployment's own names is "cross-site" to the
        // browser (another registrable domain) but not to Préau. Without it, the browser's own verdict.
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && PublicAddress.IsTrustedOrigin(context, uri));
        }

        return string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase);
    }
}
