using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Http;

/// <summary>Behind a TLS proxy and on the open Internet: forwarded headers only from configured proxies,
/// /metrics for loopback only, links built from the configured public address, cross-site cookie writes refused.</summary>
public sealed class PublicHostsAndProxiesTests
{
    private const string ProxyAddress = "10.1.2.3";

    [Fact]
    public async Task Login_ForwardedHttpsFromConfiguredProxy_SecureCookie_FromOtherSourceNot()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db, new Dictionary<string, string?> { ["Proxies:KnownProxies:0"] = ProxyAddress });
        await using var viaProxy = FromAddress(factory, ProxyAddress);
        await TestSchools.SeedAsync(viaProxy.Services);
        await using var elsewhere = FromAddress(factory, "10.9.9.9");

        var secure = await LoginCookieAsync(viaProxy);
        var notSecure = await LoginCookieAsync(elsewhere);

        Assert.Contains("secure", Attributes(secure));
        Assert.DoesNotContain("secure", Attributes(notSecure));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Metrics_RelayedForRemoteClient_Refused_LoopbackItselfServed(bool proxyConfigured)
    {
        await using var db = TestDatabase.Create("Sqlite");
        var settings = new Dictionary<string, string?>();
        if (proxyConfigured)
        {
            settings["Proxies:KnownProxies:0"] = "127.0.0.1";
        }

        await using var factory = new PreauAppFactory(db, settings);
        await using var loopback = FromAddress(factory, "127.0.0.1");
        using var client = loopback.CreateClient();

        using var direct = await client.GetAsync("/metrics");
        using var relayed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        relayed.Headers.Add("X-Forwarded-For", "203.0.113.50");
        relayed.Headers.Add("X-Forwarded-Proto", "https");
        using var refused = await client.SendAsync(relayed);

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task ForeignHost_DefaultHosts_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.example") });

        using var response = await client.GetAsync("/connexion");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ForeignHost_AnyHostAllowed_LinksUsePublicBaseUrl()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "*",
            ["Web:PublicBaseUrl"] = "https://ent.exemple.fr",
        });
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://evil.example"),
            AllowAutoRedirect = false,
        });

        using var signIn = await client.GetAsync("/fil");
        await TestSchools.LoginAsync(client, "pupil.a1");
        using var feed = await client.PostAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative), null);
        var body = await feed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("https://ent.exemple.fr/connexion", signIn.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, feed.StatusCode);
        Assert.StartsWith("https://ent.exemple.fr/ical/", JsonDocument.Parse(body).RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", body + feed.Headers.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cross-site", null)]
    [InlineData(null, "https://evil.example")]
    [InlineData("same-site", "https://evil.example")]
    [InlineData(null, "null")]
    public async Task CookieApiWrite_CrossSite_Refused403French(string? fetchSite, string? origin)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        using var response = await client.SendAsync(Seen(fetchSite, origin));

        var problem = await response.AssertProblemAsync(403);
        Assert.Equal("Demande venue d'un autre site", problem.GetProperty("title").GetString());
        Assert.Contains("autre site", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("same-origin", "http://localhost")]
    [InlineData("same-site", "http://localhost")]
    [InlineData(null, null)]
    public async Task CookieApiWrite_SameSite_Works(string? fetchSite, string? origin)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        using var response = await client.SendAsync(Seen(fetchSite, origin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>Another name of the same deployment (AllowedHosts, Web:PublicBaseUrl) is trusted even though the
    /// browser calls it cross-site; any other origin, or a plain-HTTP one towards HTTPS, still refused.</summary>
    [Theory]
    [InlineData("https://app.exemple.fr", true)]
    [InlineData("https://college.academie-exemple.fr", true)]
    [InlineData("https://ent.exemple.fr", true)]
    [InlineData("https://evil.example", false)]
    [InlineData("https://exemple.fr.evil.example", false)]
    [InlineData("https://academie-exemple.fr.evil.example", false)]
    public async Task CookieApiWrite_OriginNamedInAllowedHosts_AcceptedOthersRefused(string origin, bool accepted)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "localhost;app.exemple.fr;ent.exemple.fr;*.academie-exemple.fr", // the public name must be allowed (start check)
            ["Web:PublicBaseUrl"] = "https://ent.exemple.fr",
        });
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        using var response = await client.SendAsync(Seen("cross-site", origin));

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        else
        {
            var problem = await response.AssertProblemAsync(403);
            Assert.Equal("Demande venue d'un autre site", problem.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task CookieApiWrite_PlainHttpOriginTowardsHttps_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "localhost;app.exemple.fr",
            ["Proxies:KnownProxies:0"] = ProxyAddress,
        });
        await TestSchools.SeedAsync(app.Services);
        await using var proxied = FromAddress(app, ProxyAddress);
        using var client = proxied.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        using var https = Seen(null, "https://app.exemple.fr");
        https.Headers.Add("X-Forwarded-Proto", "https");
        using var plain = Seen(null, "http://app.exemple.fr");
        plain.Headers.Add("X-Forwarded-Proto", "https");

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(https)).StatusCode);
        await (await client.SendAsync(plain)).AssertProblemAsync(403);
    }

    [Fact]
    public async Task ApiWrite_CrossSiteWithoutCookie_NotConcerned()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { login = "pupil.a1", password = TestSchools.Password }),
        };
        login.Headers.Add("Sec-Fetch-Site", "cross-site");
        login.Headers.Add("Origin", "https://app.exemple.fr");

        using var response = await client.SendAsync(login);

        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}");
    }

    private static string[] Attributes(string setCookie) =>
        [.. setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];

    private static HttpRequestMessage Seen(string? fetchSite, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/timeline/seen");
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static async Task<string> LoginCookieAsync(WebApplicationFactory<Program> app)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { login = "pupil.a1", password = TestSchools.Password }),
        };
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("preau=", StringComparison.Ordinal));
    }

    /// <summary>The test server has no socket: every request seems to come from <paramref name="address"/>.</summary>
    private static WebApplicationFactory<Program> FromAddress(PreauAppFactory factory, string address) =>
        factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse(address)))));

    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
