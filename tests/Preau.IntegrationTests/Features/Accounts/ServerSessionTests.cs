using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Web.Features.Accounts;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts;

/// <summary>Sessions live on the server: what ends them ends them at once, for every copy of the cookie.</summary>
public sealed class ServerSessionTests
{
    private static async Task<(HttpClient Client, string Cookie)> SignInAsync(PreauAppFactory app, string login, string password = TestSchools.Password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostJsonAsync("/api/v1/auth/login", new { login, password });
        response.EnsureSuccessStatusCode();
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("preau=", StringComparison.Ordinal)).Split(';')[0];
        return (client, cookie);
    }

    private static async Task<HttpStatusCode> MeWithCookieAsync(PreauAppFactory app, string cookie)
    {
        using var copy = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return (await copy.SendAsync(request)).StatusCode;
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task SignOut_CopiedCookie_RefusedAfterwards(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        var (client, cookie) = await SignInAsync(app, "pupil.a1");
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(app, cookie));

        (await client.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, cookie));
        Assert.Equal(0, await app.WithDbAsync(d => d.ServerSessions.CountAsync()));
        client.Dispose();
    }

    /// <summary>The last sign-in is written in the session row's transaction, by every way a session opens.</summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task SignIn_PasswordOrRememberedDevice_WritesLastSignInWithTheSession(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var pupil = schools.People["pupil.a1"];
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var phone = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await phone.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password, remember = true }))
            .EnsureSuccessStatusCode();

        var afterPassword = await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == pupil).Select(a => a.LastSignInAt).SingleAsync());
        Assert.NotNull(afterPassword);
        Assert.True(afterPassword >= before, $"last sign-in {afterPassword} is older than the sign-in ({before})");
        Assert.Equal(1, await app.WithDbAsync(d => d.ServerSessions.CountAsync(s => s.PersonId == pupil)));

        (await phone.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();
        var old = new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
        await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == pupil).ExecuteUpdateAsync(u => u.SetProperty(a => a.LastSignInAt, old)));
        (await phone.PostJsonAsync("/api/v1/auth/device", new { })).EnsureSuccessStatusCode();

        var afterDevice = await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == pupil).Select(a => a.LastSignInAt).SingleAsync());
        Assert.True(afterDevice > old, "a sign-in with a remembered device is a sign-in too");
        Assert.Equal(1, await app.WithDbAsync(d => d.ServerSessions.CountAsync(s => s.PersonId == pupil)));
    }

    /// <summary>
    /// A session opened with a stamp the account no longer has (its password changed between the check and the
    /// session row) is still stored, as before the last sign-in moved into its transaction: no 500, and the account
    /// untouched (the session's stale stamp ends it at its next stamp check).
    /// </summary>
    [Fact]
    public async Task Store_StampChangedMeanwhile_SessionStoredAccountUntouched()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var pupil = schools.People["pupil.a1"];
        var ticket = await app.WithDbAsync(async d =>
        {
            var account = await d.Accounts.Include(a => a.Person).SingleAsync(a => a.PersonId == pupil);
            return new AuthenticationTicket(SignInService.BuildPrincipal(account), new AuthenticationProperties(),
                CookieAuthenticationDefaults.AuthenticationScheme);
        });
        await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == pupil).ExecuteUpdateAsync(u => u.SetProperty(a => a.SecurityStamp, "changed-meanwhile")));

        await using var scope = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var key = await new ServerSessionStore(TimeProvider.System).StoreAsync(ticket, http, CancellationToken.None);

        Assert.Equal(1, await app.WithDbAsync(d => d.ServerSessions.CountAsync(s => s.Id == key && s.PersonId == pupil)));
        var account = await app.WithDbAsync(d => d.Accounts.AsNoTracking().SingleAsync(a => a.PersonId == pupil));
        Assert.Null(account.LastSignInAt);
        Assert.Equal("changed-meanwhile", account.SecurityStamp);
    }

    [Fact]
    public async Task ChangePassword_OtherSessions_EndAtOnceThisOneStays()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        var (phone, phoneCookie) = await SignInAsync(app, "pupil.a1");
        var (laptop, _) = await SignInAsync(app, "pupil.a1");

        var changed = await FormPost.SubmitAsync(laptop, "/compte/mot-de-passe", new Dictionary<string, string>
        {
            ["CurrentPassword"] = TestSchools.Password, ["NewPassword"] = "trois mots au hasard", ["ConfirmPassword"] = "trois mots au hasard",
        });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, phoneCookie));
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        phone.Dispose();
        laptop.Dispose();
    }

    [Fact]
    public async Task AccountPage_ListsSessions_CloseOneOrSignOutEverywhere_SomeoneElsesRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var phone = (await SignInAsync(app, "teacher.a1")).Client;
        using var laptop = (await SignInAsync(app, "teacher.a1")).Client;
        using var stranger = (await SignInAsync(app, "teacher.b1")).Client;
        var owner = schools.People["teacher.a1"];
        var sessions = await app.WithDbAsync(d => d.ServerSessions.Where(s => s.PersonId == owner).Select(s => s.Id).ToListAsync());
        Assert.Equal(2, sessions.Count);

        var page = await laptop.GetStringAsync(new Uri("/compte", UriKind.Relative));
        Assert.Contains("Sessions ouvertes", page, StringComparison.Ordinal);
        Assert.Contains("(cette session)", page, StringComparison.Ordinal);

        var refused = await FormPost.SubmitAsync(stranger, "/compte?handler=CloseSession", new Dictionary<string, string> { ["id"] = sessions[0] });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        var phoneSession = sessions.Single(id => page.Contains($"value=\"{id}\"", StringComparison.Ordinal));
        var closed = await FormPost.SubmitAsync(laptop, "/compte?handler=CloseSession", new Dictionary<string, string> { ["id"] = phoneSession });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        var everywhere = await FormPost.SubmitAsync(laptop, "/compte?handler=SignOutEverywhere", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
    }
}
