using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Preau.Data;
using Preau.Data.Apps;
using Preau.Web.Features.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Preau.Web.Features.Apps.Oidc;

/// <summary>
/// The parts of the protocol Préau decides itself; OpenIddict has already checked the client, the exact
/// redirect URI and PKCE before any of these runs.
/// <list type="bullet">
/// <item><c>/connect/authorize</c>: a person (cookie); not signed in → the sign-in page; the app must be enabled
/// and their profile allowed, else a French 403 page (no consent screen: the region declared the app).</item>
/// <item><c>/connect/token</c>, <c>/connect/userinfo</c>: apps (client authentication / access token).</item>
/// <item><c>/connect/logout</c>: a person, back to a post-logout URI registered exactly.</item>
/// </list>
/// </summary>
internal static class OidcEndpoints
{
    public const string SessionIdClaim = "sid";

    private static readonly HashSet<string> s_userInfoClaims = new(StringComparer.Ordinal)
    {
        Claims.Subject, Claims.Name, Claims.GivenName, Claims.FamilyName, Claims.PreferredUsername,
        OidcClaims.ProfileClaim, OidcClaims.SchoolClaim, OidcClaims.ClassesClaim, OidcClaims.ChildrenClaim,
    };

    public static void MapOidcEndpoints(this WebApplication app)
    {
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/connect/token", TokenAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapMethods("/connect/userinfo", [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)LogoutAsync).DisableAntiforgery().ExcludeFromDescription();
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, PreauDbContext db, OidcClaims claims,
        IOpenIddictAuthorizationManager authorizations, IOpenIddictApplicationManager clients, TimeProvider clock, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict request missing");
        var signedIn = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!signedIn.Succeeded)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "Vous n'êtes pas connecté à Préau.");
            }
            // back here once signed in, through the sign-in lane of the gate like any sign-in
            var parameters = http.Request.HasFormContentType ? http.Request.Form.ToList() : http.Request.Query.ToList();
            return Results.Challenge(new AuthenticationProperties
            {
                RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters),
            }, [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        var user = signedIn.Principal;
        var connected = await db.ConnectedApps.AsNoTracking()
            .SingleOrDefaultAsync(a => a.ClientId == request.ClientId && a.Protocol == AppProtocol.OpenIdConnect, ct);
        var profile = user.GetProfile()?.ToString();
        if (connected is null || !connected.Enabled || profile is null
            || !connected.AllowedProfiles.Split(',', StringSplitOptions.TrimEntries).Contains(profile, StringComparer.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var personId = user.GetPersonId();
        var identity = await claims.IdentityAsync(connected, personId, ct);
        identity.SetScopes(request.GetScopes());
        var client = await clients.FindByClientIdAsync(connected.ClientId, ct) ?? throw new InvalidOperationException("client vanished");
        // one ad-hoc authorization per session and app: its id is the sid the app receives, and revoking it
        // (when the Préau session ends) revokes every token issued under it
        var authorization = await authorizations.CreateAsync(identity, identity.GetClaim(Claims.Subject)!,
            (await clients.GetIdAsync(client, ct))!, AuthorizationTypes.AdHoc, identity.GetScopes(), ct);
        var sid = (await authorizations.GetIdAsync(authorization, ct))!;
        identity.SetAuthorizationId(sid);
        identity.SetClaim(SessionIdClaim, sid);
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);

        db.AppSignIns.Add(new AppSignIn
        {
            AppId = connected.Id,
            PersonId = personId,
            SessionId = ServerSessionStore.Current(http) ?? "",
            Reference = sid,
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext http, PreauDbContext db, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict request missing");
        if (!request.IsAuthorizationCodeGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "Seul le flux « authorization code » est accepté.");
        }
        // the code, already checked by OpenIddict: this client, this redirect URI, PKCE, used once
        var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (code.Principal is null)
        {
            return Refuse(Errors.InvalidGrant, "Code invalide.");
        }
        var enabled = await db.ConnectedApps.AsNoTracking()
            .AnyAsync(a => a.ClientId == request.ClientId && a.Protocol == AppProtocol.OpenIdConnect && a.Enabled, ct);
        if (!enabled)
        {
            return Refuse(Errors.InvalidGrant, "Cette application est désactivée dans Préau.");
        }
        return Results.SignIn(code.Principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http)
    {
        var token = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (token.Principal is null)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var answer = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var group in token.Principal.Claims.Where(c => s_userInfoClaims.Contains(c.Type)).GroupBy(c => c.Type))
        {
            answer[group.Key] = group.Key switch
            {
                OidcClaims.ClassesClaim => group.Select(c => c.Value).ToArray(),
                // the access token may carry the children as one JSON array or as one claim per child
                OidcClaims.ChildrenClaim => group.SelectMany(c => JsonSerializer.Deserialize<JsonElement>(c.Value) is var json
                    && json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().ToArray() : [json]).ToArray(),
                _ => group.First().Value,
            };
        }
        return Results.Ok(answer);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http)
    {
        // ending the cookie session ends the row, and with it the apps' sessions (AppLogouts)
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
