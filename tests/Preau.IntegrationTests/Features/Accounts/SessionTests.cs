using System.Net;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts;

public sealed class SessionTests
{
    [Fact]
    public async Task Cookie_IssuedByOneInstance_AcceptedByAnotherOnTheSameDataDirectory()
    {
        await using var db = TestDatabase.Create("Sqlite");
        string cookie;
        await using (var first = new PreauAppFactory(db))
        {
            await TestSchools.SeedAsync(first.Services);
            using var client = first.CreateClient();
            var login = await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password });
            cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("preau=", StringComparison.Ordinal)).Split(';')[0];
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(db.DataDirectory, "keys"), "key-*.xml"));
        await using var restarted = new PreauAppFactory(db);
        using var second = restarted.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);

        var me = await second.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Theory]
    [InlineData(null, 14)]
    [InlineData("3", 3)]
    public async Task Login_Cookie_IsHttpOnlyLaxAndLastsTheConfiguredDays(string? configured, int days)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, configured is null ? null : new Dictionary<string, string?> { ["Accounts:SessionDays"] = configured });
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();

        var login = await client.PostJsonAsync("/api/v1/auth/login", new { login = "staff.a", password = TestSchools.Password });

        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("preau=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        var expires = DateTimeOffset.Parse(cookie.Split("expires=")[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(days).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(days).AddMinutes(5));
    }

    [Fact]
    public async Task Start_InvalidAccountsSettings_RefusesToStart()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Accounts:HashingConcurrency"] = "0" });

        Assert.ThrowsAny<Exception>(() => app.CreateClient());
    }
}

public sealed class StampCheckTests
{
    [Fact]
    public async Task OtherSession_AfterPasswordChange_EndsAtOnce()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var phone = app.CreateClient();
        using var tablet = app.CreateClient();
        await TestSchools.LoginAsync(phone, "teacher.a1");
        await TestSchools.LoginAsync(tablet, "teacher.a1");

        var change = await phone.PostJsonAsync("/api/v1/me/password",
            new { currentPassword = TestSchools.Password, newPassword = "cheval agrafe batterie" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        // The session rows went with the change: no waiting for the next stamp check.
        await (await tablet.GetAsync("/api/v1/me")).AssertProblemAsync(401);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/me")).StatusCode);
    }
}
