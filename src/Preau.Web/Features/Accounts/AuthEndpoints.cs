using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Preau.Web.Features.Accounts;

internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth").WithTags("Auth");
        // Anonymous by nature; abuse limits come from the gate.
        group.MapPost("/login", LoginAsync).AllowAnonymous().DisableAntiforgery();
        group.MapPost("/logout", LogoutAsync).RequireAuthorization().DisableAntiforgery();
        return group;
    }

    internal sealed record LoginRequest([property: Required, MaxLength(100)] string Login, [property: Required, MaxLength(200)] string Password);

    private static async Task<Results<Ok<SignedInUser>, ProblemHttpResult, ValidationProblem>> LoginAsync(
        LoginRequest request, SignInService signIn, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Login) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["login"] = ["L'identifiant et le mot de passe sont obligatoires."],
            });
        }

        var result = await signIn.SignInAsync(http, request.Login, request.Password, ct);
        return result.Status switch
        {
            SignInStatus.Success => TypedResults.Ok(result.User),
            _ => TypedResults.Problem("Identifiant ou mot de passe incorrect.", statusCode: StatusCodes.Status401Unauthorized,
                title: "Connexion refusée"),
        };
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }
}
