using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Preau.IntegrationTests.Browser;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Apps.Oidc;

/// <summary>A real relying party (openid-client from npm, tests/oidc-rp/code-flow.mjs) against Préau on
/// Kestrel: discovery, code flow with PKCE, id_token checked by the library, userinfo; a replayed code and a
/// wrong redirect URI refused.</summary>
public sealed class OpenIdClientTests
{
    [Fact]
    public async Task CodeFlow_OpenIdClientLibrary_SignsThePupilInAndReadsTheGrantedClaims()
    {
        var library = Environment.GetEnvironmentVariable("PREAU_TEST_OPENID_CLIENT");
        Assert.True(Directory.Exists(Path.Combine(library ?? "", "node_modules", "openid-client")),
            "PREAU_TEST_OPENID_CLIENT must name the folder openid-client is installed in: run the tests with ./test.sh, which installs it.");
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        app.UseKestrel(0);
        app.StartServer();
        var schools = await TestSchools.SeedAsync(app.Services);
        var connected = await OidcClient.RegisterAsync(app.Services, schools.RegionId, "manuels-rp",
            claims: "name profile school classes login");
        var cookies = new CookieContainer();
        using var direct = app.CreateClient();
        var issuer = direct.BaseAddress!;
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = issuer };
        await TestSchools.LoginAsync(browser, "pupil.a1");

        var start = new ProcessStartInfo("node", Path.Combine(ReadmeStartBrowserTests.RepositoryRoot(), "tests", "oidc-rp", "code-flow.mjs"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PREAU_ISSUER"] = issuer.ToString(),
                ["PREAU_CLIENT_ID"] = "manuels-rp",
                ["PREAU_REDIRECT"] = OidcClient.Redirect,
                ["PREAU_COOKIE"] = cookies.GetCookieHeader(issuer),
                ["PREAU_OPENID_CLIENT"] = library,
            },
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await node.WaitForExitAsync(deadline.Token);
        }
        Assert.True(node.ExitCode == 0, "the relying party failed: " + await errors + await output);

        var result = JsonDocument.Parse(await output).RootElement;
        var subject = await app.WithDbAsync(d => d.AppSubjects.Where(s => s.AppId == connected.Id && s.PersonId == schools.People["pupil.a1"])
            .Select(s => s.Subject).SingleAsync());
        Assert.Equal(302, result.GetProperty("authorizeStatus").GetInt32());
        Assert.Equal(subject, result.GetProperty("idToken").GetProperty("sub").GetString());
        var info = result.GetProperty("userInfo");
        Assert.Equal(subject, info.GetProperty("sub").GetString());
        Assert.Equal("pupil.a1", info.GetProperty("preferred_username").GetString());
        Assert.Equal("Pupil", info.GetProperty("profil").GetString());
        Assert.Equal("0750001A", info.GetProperty("uai").GetString());
        Assert.Equal("invalid_grant", result.GetProperty("replay").GetString());
        Assert.Equal(400, result.GetProperty("wrongRedirect").GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("wrongRedirect").GetProperty("location").ValueKind);
    }
}
