using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Preau.Gate;

namespace Preau.Web.Features.Accounts;

internal static class AuthEndpoints
{
    /// <summary>A sign-in body is a few hundred bytes; anything bigger is refused before it is read.</summary>
    public const long MaxAuthBody = 4 * 1024;

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth").WithTags("Connexion")
            .WithMetadata(new RequestSizeLimitAttribute(MaxAuthBody));
        // Anonymous by nature (credentials are what they check); abuse limits: growing waits per login
        // and address here, per-client limits in the gate. JSON only, so no cross-site form can post to them.
        group.MapPost("/login", LoginAsync).AllowAnonymous().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        // The remembered-device cookie is the credential; SameSite=Lax keeps it off cross-site posts.
        group.MapPost("/device", DeviceLoginAsync).AllowAnonymous().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/activate", ActivateAsync).AllowAnonymous().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/logout", (Delegate)LogoutAsync).RequireAuthorization(Policies.SignedIn).DisableAntiforgery();
        return group;
    }

    /// <summary>
    /// Answers 413 ProblemDetails for declared bodies over an endpoint's size limit before model
    /// binding reads them (the test host does not enforce Kestrel's limit; Kestrel still cuts
    /// chunked bodies, which the exception handler turns into ProblemDetails).
    /// </summary>
    public static WebApplication UseAuthBodyLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
            if (limit is { } max && context.Request.ContentLength > max)
            {
                var problem = TypedResults.Problem(
                    $"La demande est trop volumineuse (au plus {max} octets).",
                    statusCode: StatusCodes.Status413PayloadTooLarge, title: "Demande trop volumineuse");
                await problem.ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary><see cref="Remember"/>: also remember this device (a cookie that signs in later without a password).</summary>
    internal sealed record LoginRequest(string? Login, string? Password, bool Remember = false);

    internal sealed record ActivateRequest(string? Login, string? Code, string? NewPassword);

    private static async Task<Results<Ok<SignedInUser>, ProblemHttpResult, ValidationProblem>> LoginAsync(
        LoginRequest request, SignInService signIn, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Login) || string.IsNullOrEmpty(request.Password)
            || request.Login.Length > 100 || request.Password.Length > PasswordPolicy.MaxLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["login"] = ["L'identifiant et le mot de passe sont obligatoires (100 et 200 caractères au plus)."],
            });
        }

        var result = await signIn.SignInAsync(http, request.Login, request.Password, request.Remember, ct);
        return result.Status == SignInStatus.Success ? TypedResults.Ok(result.User) : Problem(result, http);
    }

    private static async Task<Results<Ok<SignedInUser>, ProblemHttpResult>> DeviceLoginAsync(
        SignInService signIn, HttpContext http, CancellationToken ct)
    {
        var result = await signIn.SignInWithDeviceAsync(http, ct);
        return result.Status == SignInStatus.Success
            ? TypedResults.Ok(result.User)
            : TypedResults.Problem(SignInMessages.DeviceRefused, statusCode: StatusCodes.Status401Unauthorized,
                title: "Appareil non reconnu");
    }

    private static async Task<Results<Ok<SignedInUser>, ProblemHttpResult, ValidationProblem>> ActivateAsync(
        ActivateRequest request, SignInService signIn, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Login) || string.IsNullOrWhiteSpace(request.Code)
            || request.Login.Length > 100 || request.Code.Length > 50)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["login"] = ["L'identifiant et le code d'activation sont obligatoires."],
            });
        }

        var result = await signIn.ActivateAsync(http, request.Login, request.Code, request.NewPassword ?? "", ct);
        return result.Status switch
        {
            SignInStatus.Success => TypedResults.Ok(result.User),
            SignInStatus.PasswordRejected => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["newPassword"] = [.. result.Errors!] },
                title: "Mot de passe refusé"),
            _ => Problem(result, http),
        };
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>The API form of every refusal; sets Retry-After where waiting is the answer.</summary>
    internal static ProblemHttpResult Problem(SignInResult result, HttpContext http)
    {
        if (result.Status is SignInStatus.Slowed or SignInStatus.Busy)
        {
            http.Response.Headers.RetryAfter = result.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (result.Status is SignInStatus.Busy)
        {
            // The login lane: the sign-in waits in line (like the gate's queue), nothing failed.
            GateSignals.MarkHeld(http.Response);
        }

        return result.Status switch
        {
            // 429 rather than 423: 423 Locked is WebDAV's "resource locked", and clients, proxies and
            // the gate already understand 429 + Retry-After as "stop and come back later".
            SignInStatus.Slowed => TypedResults.Problem(SignInMessages.Slowed(result),
                statusCode: StatusCodes.Status429TooManyRequests, title: "Essais trop nombreux"),
            SignInStatus.Busy => TypedResults.Problem(SignInMessages.Busy,
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Préau est très sollicité"),
            SignInStatus.ActivationRequired => TypedResults.Problem(SignInMessages.ActivationRequired,
                statusCode: StatusCodes.Status403Forbidden, title: "Activation requise"),
            SignInStatus.ActivationExpired => TypedResults.Problem(SignInMessages.ActivationExpired,
                statusCode: StatusCodes.Status401Unauthorized, title: "Code d'activation expiré"),
            SignInStatus.PasswordRejected => TypedResults.Problem(string.Join(" ", result.Errors ?? []),
                statusCode: StatusCodes.Status400BadRequest, title: "Mot de passe refusé"),
            SignInStatus.LocalPasswordOff => TypedResults.Problem(SignInMessages.LocalPasswordOff,
                statusCode: StatusCodes.Status403Forbidden, title: "Connexion par compte académique"),
            _ => TypedResults.Problem(SignInMessages.InvalidCredentials,
                statusCode: StatusCodes.Status401Unauthorized, title: "Connexion refusée"),
        };
    }
}

/// <summary>The French sentences people read, shared by the pages and the API.</summary>
internal static class SignInMessages
{
    public const string InvalidCredentials = "Identifiant ou mot de passe incorrect.";
    public const string LocalPasswordOff =
        "Dans votre région, la connexion se fait avec votre compte académique : utilisez le bouton de la page de connexion.";
    public const string DeviceRefused =
        "Cet appareil n'est plus mémorisé (mot de passe changé, appareil oublié ou mémorisé depuis trop longtemps). " +
        "Connectez-vous avec votre mot de passe.";
    public const string Busy = "Préau est très sollicité, patientez quelques secondes puis réessayez.";
    public const string ActivationRequired =
        "Ce code d'activation est valable : choisissez votre mot de passe (POST /api/v1/auth/activate).";
    public const string ActivationExpired =
        "Ce code d'activation a expiré. Demandez-en un nouveau au secrétariat de votre établissement.";

    /// <summary>The wait is per login and address: say so, and that remembered devices still open.</summary>
    public static string Slowed(SignInResult result)
    {
        var seconds = result.RetryAfterSeconds;
        var minutes = (int)Math.Ceiling(seconds / 60.0);
        var wait = seconds < 60 ? $"{seconds} seconde{(seconds > 1 ? "s" : "")}" : $"{minutes} minute{(minutes > 1 ? "s" : "")}";
        return $"Trop d'essais infructueux pour cet identifiant depuis votre connexion : patientez {wait} avant de réessayer. " +
            "Un appareil mémorisé reste utilisable ; en cas d'oubli, demandez de l'aide à votre établissement.";
    }
}
