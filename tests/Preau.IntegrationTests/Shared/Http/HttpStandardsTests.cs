using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Http;

/// <summary>What HTTP clients and browsers rely on: HEAD, the 401 challenge, cache rules, 405 with Allow,
/// security headers, French problems.</summary>
public sealed class HttpStandardsTests
{
    [Fact]
    public async Task Head_EveryGetOnlyEndpoint_AnswersLikeGetWithoutBody()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        foreach (var path in new[] { "/healthz", "/readyz", "/statut", "/openapi/v1.json", "/api/v1/hello", "/connexion" })
        {
            using var get = await client.GetAsync(path);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

            Assert.True(get.StatusCode == head.StatusCode, $"HEAD {path}: {head.StatusCode}, GET: {get.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }

        using var anonymous = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task OpenApi_HeadAnswered_DocumentListsGetOperationsOnly()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        var methods = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => m.Name)).ToList();
        Assert.Contains("get", methods);
        Assert.DoesNotContain("head", methods);
    }

    [Fact]
    public async Task Unauthorized_ApiAndLoginRefused_CarryWwwAuthenticateChallenge()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();

        using var me = await client.GetAsync("/api/v1/me");
        using var wrongPassword = await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "pas le bon" });

        foreach (var response in new[] { me, wrongPassword })
        {
            await response.AssertProblemAsync(401);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Cookie", challenge.Scheme);
            Assert.Contains("realm=\"Preau\"", challenge.Parameter, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignedIn_ApiAndPages_PrivateNoCache_SecretsNoStore()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = app.CreateClient();
        await TestSchools.LoginAsync(pupil, "pupil.a1");
        using var admin = app.CreateClient();
        await TestSchools.LoginAsync(admin, "schooladmin.a");

        foreach (var path in new[] { "/api/v1/me", "/api/v1/timeline", "/api/v1/messages", "/api/v1/news", "/fil" })
        {
            using var response = await pupil.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var cache = response.Headers.CacheControl;
            Assert.True(cache is { NoStore: true } || cache is { Private: true, NoCache: true }, $"{path}: Cache-Control {cache}");
        }

        foreach (var path in new[] { "/etablissement/codes", "/etablissement/cartes", "/compte/mot-de-passe" })
        {
            using var response = await admin.GetAsync(path);
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path}: Cache-Control {response.Headers.CacheControl}");
        }

        using var anonymous = app.CreateClient();
        using var statusPage = await anonymous.GetAsync("/api/v1/hello");
        Assert.Null(statusPage.Headers.CacheControl);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/devoirs")]
    public async Task WrongMethod_Page_Returns405WithAllow(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        using var response = await FormPost.SubmitAsync(client, path, new Dictionary<string, string> { ["x"] = "1" });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("PATCH", "/statut")]
    [InlineData("DELETE", "/api/v1/hello")]
    [InlineData("PUT", "/openapi/v1.json")]
    public async Task WrongMethod_Endpoint_Returns405WithAllow(string method, string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Contains("HEAD", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Waiting_BackslashReturnAddress_SafeAnswerNeverElsewhere()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var back in new[] { "/%5Cevil.example", "//evil.example", "https://evil.example/", "/\\evil.example" })
        {
            using var response = await client.GetAsync($"/attente?retour={back}");

            Assert.True((int)response.StatusCode < 500, $"{back}: {response.StatusCode}");
            Assert.DoesNotContain("evil.example", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/connexion")]
    [InlineData("/api/v1/hello")]
    [InlineData("/nexiste-pas")]
    [InlineData("/api/v1/me")]
    [InlineData("/statut")]
    public async Task AnyResponse_CarriesSecurityHeaders(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task InlineScript_OnlyWithThisResponsesNonce()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        using var response = await client.GetAsync("/messagerie/ecrire");
        var html = await response.Content.ReadAsStringAsync();

        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEqual("", nonce);
        Assert.Contains($"<script nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nexiste-pas", null, 404, "Introuvable")]
    [InlineData("DELETE", "/api/v1/hello", null, 405, "Méthode non permise")]
    [InlineData("POST", "/api/v1/auth/login", "text/plain", 415, "Format non accepté")]
    [InlineData("POST", "/api/v1/auth/login", "application/json", 400, "Demande incorrecte")]
    public async Task FrameworkProblem_TitleAndDetailInFrench(string method, string path, string? contentType, int status, string title)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent("{ pas du json", System.Text.Encoding.UTF8, contentType);
        }

        using var response = await client.SendAsync(request);

        var problem = await response.AssertProblemAsync(status);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.DoesNotMatch(@"(?i)\b(the|request|was|not|error|one or more)\b", detail);
    }
}
