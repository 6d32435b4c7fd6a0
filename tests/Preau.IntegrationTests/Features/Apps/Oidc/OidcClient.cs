using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Apps;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Apps;

namespace Preau.IntegrationTests.Features.Apps.Oidc;

/// <summary>The relying party's side of the code flow, by hand, so that each step can be bent by a test.</summary>
internal static class OidcClient
{
    public const string Redirect = "https://app.example.test/callback";

    /// <summary>Declares an app as the region administrator's page does: the row, then every protocol's registrar.</summary>
    public static async Task<ConnectedApp> RegisterAsync(IServiceProvider services, Guid regionId, string clientId,
        string? secret = null, string profiles = "Pupil", string claims = "name profile school classes", bool enabled = true,
        string? logoutUri = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var app = new ConnectedApp
        {
            RegionId = regionId,
            Name = "Manuels " + clientId,
            Protocol = AppProtocol.OpenIdConnect,
            ClientId = clientId,
            ClientSecretHash = secret is null ? null : "set",
            RedirectUris = Redirect,
            PostLogoutRedirectUris = "https://app.example.test/bye",
            LogoutUri = logoutUri,
            LaunchUrl = "https://app.example.test/",
            ReleasedClaims = claims,
            AllowedProfiles = profiles,
            Enabled = enabled,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.ConnectedApps.Add(app);
        await db.SaveChangesAsync();
        foreach (var registrar in scope.ServiceProvider.GetServices<IAppRegistrar>())
        {
            await registrar.AppSavedAsync(app, secret, CancellationToken.None);
        }
        return app;
    }

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static Uri AuthorizeUri(string clientId, string? challenge, string method = "S256", string redirect = Redirect)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirect,
            ["response_type"] = "code",
            ["scope"] = "openid profile",
            ["state"] = "etat-42",
            ["nonce"] = "nonce-42",
        };
        if (challenge is not null)
        {
            query["code_challenge"] = challenge;
            query["code_challenge_method"] = method;
        }
        return new Uri(QueryHelpers.AddQueryString("/connect/authorize", query), UriKind.Relative);
    }

    /// <summary>Signed-in browser → the code in the redirect back to the app.</summary>
    public static async Task<string> CodeAsync(HttpClient browser, string clientId, string challenge)
    {
        using var response = await browser.GetAsync(AuthorizeUri(clientId, challenge));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(Redirect + "?", location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("etat-42", query["state"].ToString());
        return query["code"].ToString();
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(HttpClient app, string clientId, string code,
        string? verifier, string? secret = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["redirect_uri"] = Redirect,
        };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier;
        }
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }
        using var response = await app.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(form));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> UserInfoAsync(HttpClient app, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/connect/userinfo", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await app.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true;
        return (response.StatusCode, json ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>The payload of a JWT (the signature is the relying-party library's business, tested with openid-client).</summary>
    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt.Split('.')[1])).RootElement.Clone();

    public static HttpClient NewBrowser(PreauAppFactory app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static string Base64Url(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);
}
