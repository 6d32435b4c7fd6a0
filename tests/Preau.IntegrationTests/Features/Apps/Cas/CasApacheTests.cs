using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Apps.Cas;

/// <summary>
/// Issue 16, done means: a real CAS client — Apache httpd's mod_auth_cas from Debian — protects a page behind
/// Préau. A pupil's Préau session opens it without a password, and signing out of Préau drops Apache's session
/// (single logout). Préau runs on Kestrel over HTTPS (mod_auth_cas validates tickets over HTTPS only).
/// </summary>
public sealed class CasApacheTests
{
    [Fact]
    public async Task ModAuthCas_PupilSignedInThenSignsOut_PageOpensWithoutPasswordThenAsksAgain()
    {
        await using var db = TestDatabase.Create("Postgres");
        await using var stack = await CasStack.StartAsync(db);
        var schools = await TestSchools.SeedAsync(stack.App.Services);
        await CasTestApps.DeclareAsync(stack.App.Services, schools, stack.Apache.PageUrl, profiles: "Pupil");
        using var pupil = CasStack.Browser();

        // signed out, the page sends the browser to Préau's sign-in
        var hops = await CasStack.FollowAsync(pupil, new Uri(stack.Apache.PageUrl));
        Assert.StartsWith(new Uri(stack.Preau, "/connexion?ReturnUrl=").ToString(), hops[^1].Uri.ToString(), StringComparison.Ordinal);

        (await pupil.PostAsJsonAsync(new Uri(stack.Preau, "/api/v1/auth/login"), new { login = "pupil.a1", password = TestSchools.Password }))
            .EnsureSuccessStatusCode();
        hops = await CasStack.FollowAsync(pupil, new Uri(stack.Apache.PageUrl));
        var (uri, status, body) = hops[^1];
        Assert.True(status == HttpStatusCode.OK && body.Contains(CasApache.PageText, StringComparison.Ordinal),
            $"{uri} {status}: {body}\n{string.Join('\n', hops.Select(h => $"{h.Status} {h.Uri}"))}\n{stack.Apache.ErrorLog}");
        Assert.Contains(hops, h => h.Uri.AbsolutePath == "/cas/login");

        // Apache keeps its own session: the page opens again without Préau
        Assert.Equal(HttpStatusCode.OK, (await CasStack.FollowAsync(pupil, new Uri(stack.Apache.PageUrl)))[0].Status);

        // signing out of Préau: Préau posts the logout request, mod_auth_cas forgets the session
        Assert.Equal(HttpStatusCode.NoContent, (await pupil.PostAsync(new Uri(stack.Preau, "/api/v1/auth/logout"), null)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode first;
        do
        {
            first = (await CasStack.FollowAsync(pupil, new Uri(stack.Apache.PageUrl), follow: false))[0].Status;
        }
        while (first == HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay());
        Assert.True(first == HttpStatusCode.Found, $"Apache still serves the page after signing out of Préau ({first}).\n{stack.Apache.ErrorLog}");
        hops = await CasStack.FollowAsync(pupil, new Uri(stack.Apache.PageUrl));
        Assert.Equal("/connexion", hops[^1].Uri.AbsolutePath);
    }

    [Fact]
    public async Task ModAuthCas_WrongProfile_RefusedByPreauNeverReachesPage()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var stack = await CasStack.StartAsync(db);
        var schools = await TestSchools.SeedAsync(stack.App.Services);
        await CasTestApps.DeclareAsync(stack.App.Services, schools, stack.Apache.PageUrl, profiles: "Pupil");
        using var parent = CasStack.Browser();
        (await parent.PostAsJsonAsync(new Uri(stack.Preau, "/api/v1/auth/login"), new { login = "parent.a1", password = TestSchools.Password }))
            .EnsureSuccessStatusCode();

        var hops = await CasStack.FollowAsync(parent, new Uri(stack.Apache.PageUrl));
        Assert.Equal(HttpStatusCode.Forbidden, hops[^1].Status);
        Assert.Equal("/cas/login", hops[^1].Uri.AbsolutePath);
        Assert.DoesNotContain(CasApache.PageText, hops[^1].Body, StringComparison.Ordinal);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }
}

/// <summary>Préau on Kestrel over HTTPS and Apache with mod_auth_cas in front of one page.</summary>
internal sealed class CasStack : IAsyncDisposable
{
    private CasStack(PreauAppFactory app, CasApache apache, Uri preau)
    {
        App = app;
        Apache = apache;
        Preau = preau;
    }

    public PreauAppFactory App { get; }
    public CasApache Apache { get; }
    public Uri Preau { get; }

    public static async Task<CasStack> StartAsync(TestDatabase db, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // Its own folder under /tmp: Apache's workers (www-data when the tests run as root) must reach it.
        var folder = Directory.CreateTempSubdirectory("preau-cas-").FullName;
        var certificate = CasApache.Certificate(folder);
        var app = new PreauAppFactory(db, settings);
        app.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("https://", StringComparison.Ordinal));
        var preau = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return new CasStack(app, await CasApache.StartAsync(folder, preau), preau);
    }

    /// <summary>A browser's cookie jar that trusts the test's certificate; redirects are followed by
    /// <see cref="FollowAsync"/> (HttpClient would not follow Préau's HTTPS redirect back to HTTP Apache).</summary>
    public static HttpClient Browser() => new(new HttpClientHandler
    {
        CookieContainer = new CookieContainer(),
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    })
    { Timeout = TimeSpan.FromSeconds(120) };

    public static async Task<List<(Uri Uri, HttpStatusCode Status, string Body)>> FollowAsync(HttpClient client, Uri start, bool follow = true)
    {
        var hops = new List<(Uri, HttpStatusCode, string)>();
        var uri = start;
        for (var hop = 0; hop < 10; hop++)
        {
            using var response = await client.GetAsync(uri);
            hops.Add((uri, response.StatusCode, await response.Content.ReadAsStringAsync()));
            if (!follow || (int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null)
            {
                return hops;
            }
            uri = new Uri(uri, response.Headers.Location);
        }
        throw new InvalidOperationException("Trop de redirections : " + string.Join(" → ", hops.Select(h => h.Item1)));
    }

    public async ValueTask DisposeAsync()
    {
        await Apache.DisposeAsync();
        await App.DisposeAsync();
    }
}
