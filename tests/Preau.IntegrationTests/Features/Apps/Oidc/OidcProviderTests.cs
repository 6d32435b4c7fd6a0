using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Apps.Oidc.OidcClient;

namespace Preau.IntegrationTests.Features.Apps.Oidc;

/// <summary>Préau as an OpenID Connect provider (#16): the code flow with PKCE, the claims an app was granted,
/// and every refusal the protocol and the region's declaration call for.</summary>
public sealed class OidcProviderTests
{
    [Fact]
    public async Task Discovery_Always_CodeFlowWithS256Only()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        using var client = NewBrowser(app);

        var discovery = JsonDocument.Parse(await client.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative))).RootElement;

        Assert.Equal(["code"], discovery.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        var jwks = JsonDocument.Parse(await client.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!))).RootElement;
        Assert.NotEmpty(jwks.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task CodeFlow_PupilWithPkce_ClaimsAsGrantedAndSignInRecorded()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        var connected = await RegisterAsync(app.Services, schools.RegionId, "manuels");
        using var browser = NewBrowser(app);
        await TestSchools.LoginAsync(browser, "pupil.a1");
        var (verifier, challenge) = Pkce();

        var code = await CodeAsync(browser, "manuels", challenge);
        var (status, tokens) = await RedeemAsync(browser, "manuels", code, verifier);

        Assert.Equal(HttpStatusCode.OK, status);
        var idToken = Payload(tokens.GetProperty("id_token").GetString()!);
        var subject = await app.WithDbAsync(d => d.AppSubjects.Where(s => s.AppId == connected.Id && s.PersonId == schools.People["pupil.a1"])
            .Select(s => s.Subject).SingleAsync());
        Assert.Equal(subject, idToken.GetProperty("sub").GetString());
        Assert.Equal("nonce-42", idToken.GetProperty("nonce").GetString());
        Assert.Equal("Pupil", idToken.GetProperty("profil").GetString());
        var (infoStatus, info) = await UserInfoAsync(browser, tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, infoStatus);
        Assert.Equal(subject, info.GetProperty("sub").GetString());
        Assert.Equal("pupil", info.GetProperty("given_name").GetString());
        Assert.Equal("A1", info.GetProperty("family_name").GetString());
        Assert.Equal("0750001A", info.GetProperty("uai").GetString());
        Assert.Equal(["4e1"], info.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.False(info.TryGetProperty("preferred_username", out _), "login not granted");
        var sid = idToken.GetProperty("sid").GetString();
        var signIn = await app.WithDbAsync(d => d.AppSignIns.SingleAsync(s => s.AppId == connected.Id));
        Assert.Equal(sid, signIn.Reference);
        Assert.NotEqual("", signIn.SessionId);
    }

    [Fact]
    public async Task CodeFlow_ParentGrantedChildren_ChildrenWithTheirOwnSubjects()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        var connected = await RegisterAsync(app.Services, schools.RegionId, "vie-scolaire", profiles: "Parent,Pupil",
            claims: "name children login");
        using var browser = NewBrowser(app);
        await TestSchools.LoginAsync(browser, "parent.a1");
        var (verifier, challenge) = Pkce();

        var (_, tokens) = await RedeemAsync(browser, "vie-scolaire", await CodeAsync(browser, "vie-scolaire", challenge), verifier);
        var (_, info) = await UserInfoAsync(browser, tokens.GetProperty("access_token").GetString()!);

        var child = Assert.Single(info.GetProperty("enfants").EnumerateArray());
        var childSubject = await app.WithDbAsync(d => d.AppSubjects.Where(s => s.AppId == connected.Id && s.PersonId == schools.People["pupil.a1"])
            .Select(s => s.Subject).SingleAsync());
        Assert.Equal(childSubject, child.GetProperty("sub").GetString());
        Assert.Equal(["4e1"], child.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("parent.a1", info.GetProperty("preferred_username").GetString());
        Assert.NotEqual(childSubject, info.GetProperty("sub").GetString());
        Assert.False(info.TryGetProperty("uai", out _), "school not granted");
    }

    [Fact]
    public async Task Authorize_NotSignedIn_SentToTheSignInPageAndBack()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        await RegisterAsync(app.Services, schools.RegionId, "manuels");
        using var browser = NewBrowser(app);

        using var response = await browser.GetAsync(AuthorizeUri("manuels", Pkce().Challenge));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("http://localhost/connexion?returnUrl=", location, StringComparison.Ordinal);
        Assert.Contains("%2Fconnect%2Fauthorize%3Fclient_id%3Dmanuels", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_WrongRedirectUri_FrenchPageAndNoRedirect()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        await RegisterAsync(app.Services, schools.RegionId, "manuels");
        using var browser = NewBrowser(app);
        await TestSchools.LoginAsync(browser, "pupil.a1");

        foreach (var redirect in new[] { "https://evil.example.test/callback", Redirect + "/more", Redirect + "?x=1" })
        {
            using var response = await browser.GetAsync(AuthorizeUri("manuels", Pkce().Challenge, redirect: redirect));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("lang=\"fr\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("plain")]
    public async Task Authorize_WithoutS256Pkce_RefusedWithoutCode(string? method)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        await RegisterAsync(app.Services, schools.RegionId, "manuels");
        using var browser = NewBrowser(app);
        await TestSchools.LoginAsync(browser, "pupil.a1");
        var (verifier, _) = Pkce();

        using var response = await browser.GetAsync(method is null ? AuthorizeUri("manuels", null) : AuthorizeUri("manuels", verifier, method));

        // checked before the redirect URI is, so answered here (French page), never sent anywhere
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("lang=\"fr\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => d.AppSignIns.CountAsync()));
    }

    [Fact]
    public async Task Token_ReplayedCodeOrWrongVerifier_InvalidGrant()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        await RegisterAsync(app.Services, schools.RegionId, "manuels");
        using var browser = NewBrowser(app);
        await TestSchools.LoginAsync(browser, "pupil.a1");
        var (verifier, challenge) = Pkce();
        var code = await CodeAsync(browser, "manuels", challenge);
        var other = await CodeAsync(browser, "manuels", Pkce().Challenge);

        var (first, tokens) = await RedeemAsync(browser, "manuels", code, verifier);
        var (replay, replayBody) = await RedeemAsync(browser, "manuels", code, verifier);
        var (wrongVerifier, wrongBody) = await RedeemAsync(browser, "manuels", other, verifier);
        var (noVerifier, noBody) = await RedeemAsync(browser, "manuels", other, null);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (replay, replayBody.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (wrongVerifier, wrongBody.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, noVerifier);
        Assert.False(noBody.TryGetProperty("access_token", out _));
        // a replayed code revokes what the first redemption gave
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(browser, tokens.GetProperty("access_token").GetString()!)).Status);
    }

    [Fact]
    public async Task Token_CodeRedeemedByAnotherClient_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        await RegisterAsync(app.Services, schools.RegionId, "manuels");
        await RegisterAsync(app.Services, schools.RegionId, "autre-app", secret: "un-secret-tres-long-2026");
        using var browser = NewBrowser(app);
        await TestSchools.LoginAsync(browser, "pupil.a1");
        var (verifier, challenge) = Pkce();
        var code = await CodeAsync(browser, "manuels", challenge);

        var (status, body) = await RedeemAsync(browser, "autre-app", code, verifier, "un-secret-tres-long-2026");
        var (badSecret, _) = await RedeemAsync(browser, "autre-app", code, verifier, "mauvais");

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (status, body.GetProperty("error").GetString()));
        Assert.NotEqual(HttpStatusCode.OK, badSecret);
    }

    [Fact]
    public async Task Authorize_DisabledAppOrProfileNotAllowed_FrenchForbiddenPage()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        await RegisterAsync(app.Services, schools.RegionId, "eteinte", enabled: false);
        await RegisterAsync(app.Services, schools.RegionId, "eleves");
        using var pupil = NewBrowser(app);
        await TestSchools.LoginAsync(pupil, "pupil.a1");
        using var teacher = NewBrowser(app);
        await TestSchools.LoginAsync(teacher, "teacher.a1");

        using var disabled = await pupil.GetAsync(AuthorizeUri("eteinte", Pkce().Challenge));
        using var wrongProfile = await teacher.GetAsync(AuthorizeUri("eleves", Pkce().Challenge));

        foreach (var response in new[] { disabled, wrongProfile })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("lang=\"fr\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(0, await app.WithDbAsync(d => d.AppSignIns.CountAsync()));
    }

    [Fact]
    public async Task SignOut_OfPreau_TokensRevokedAndBackChannelLogoutSent()
    {
        using var rp = new LogoutReceiver();
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(app.Services);
        await RegisterAsync(app.Services, schools.RegionId, "manuels", logoutUri: rp.Uri.ToString());
        using var browser = NewBrowser(app);
        await TestSchools.LoginAsync(browser, "pupil.a1");
        var (verifier, challenge) = Pkce();
        var (_, tokens) = await RedeemAsync(browser, "manuels", await CodeAsync(browser, "manuels", challenge), verifier);
        var sid = Payload(tokens.GetProperty("id_token").GetString()!).GetProperty("sid").GetString();

        using var logout = await browser.PostAsync(new Uri("/api/v1/auth/logout", UriKind.Relative), null);

        Assert.True(logout.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(browser, tokens.GetProperty("access_token").GetString()!)).Status);
        var token = await rp.NextAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(token);
        var claims = Payload(token);
        Assert.Equal(sid, claims.GetProperty("sid").GetString());
        Assert.Equal("manuels", claims.GetProperty("aud").GetString());
        Assert.True(claims.GetProperty("events").TryGetProperty("http://schemas.openid.net/event/backchannel-logout", out _));
        Assert.Equal(0, await app.WithDbAsync(d => d.AppSignIns.CountAsync()));
    }

    [Fact]
    public async Task TwoNodes_SameKeys_CodeIssuedOnOneRedeemedOnTheOther()
    {
        await using var nodes = TwoNodes.Start(PreauAppFactory.StoredSsoKeys);
        var schools = await TestSchools.SeedAsync(nodes.A.Services);
        await RegisterAsync(nodes.A.Services, schools.RegionId, "manuels");
        using var visitor = nodes.NewVisitor();
        await TestSchools.LoginAsync(visitor.OnA, "pupil.a1");
        var (verifier, challenge) = Pkce();

        var code = await CodeAsync(visitor.OnA, "manuels", challenge);
        var (status, tokens) = await RedeemAsync(visitor.OnB, "manuels", code, verifier);
        var jwksA = await visitor.OnA.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative));
        var jwksB = await visitor.OnB.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(visitor.OnA, tokens.GetProperty("access_token").GetString()!)).Status);
        Assert.Equal(jwksA, jwksB);
    }
}
