using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
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
