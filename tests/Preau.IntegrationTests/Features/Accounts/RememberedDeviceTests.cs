using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;

namespace Preau.IntegrationTests.Features.Accounts;

public sealed partial class RememberedDeviceTests
{
    private const string Phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";
    private const string Tablet = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";

    [Fact]
    public async Task DeviceLogin_RememberedDevice_OpensASessionWithoutAPasswordHash()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var phone = Client(app, Phone);
        await RememberAsync(phone, "pupil.a1");
        (await phone.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/me")).StatusCode);
        var lane = app.Services.GetRequiredService<HashingLane>();
        var hashesBefore = lane.Completed;

        var login = await phone.PostJsonAsync("/api/v1/auth/device", new { });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(hashesBefore, lane.Completed);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/me")).StatusCode);
    }

    /// <summary>
    /// Decision (issue 17): someone guessing a pupil's password throttles password sign-ins for that account,
    /// not the pupil's own remembered phone; the device credential is a 256-bit secret nobody can guess.
    /// </summary>
    [Fact]
    public async Task DeviceLogin_AccountThrottledByWrongPasswordsElsewhere_StillSignsIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> 
        {
            ["Accounts:LockoutThreshold"] = "3",
            ["Accounts:LockoutFirstDelaySeconds"] = "600",
        });
        await TestSchools.SeedAsync(app.Services);
        using var phone = Client(app, Phone);
        await RememberAsync(phone, "pupil.a1");
        (await phone.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();
        using var guesser = Client(app, Tablet);
        for (var i = 0; i < 3; i++)
        {
            await guesser.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "pas le bon mot de passe" });
        }
        await (await guesser.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password })).AssertProblemAsync(429);

        var login = await phone.PostJsonAsync("/api/v1/auth/device", new { });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task DeviceLogin_OldSecretReplayedAfterUse_IsRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var phone = Client(app, Phone);
        var first = await RememberAsync(phone, "pupil.a1");
        Assert.Equal(HttpStatusCode.OK, (await phone.PostJsonAsync("/api/v1/auth/device", new { })).StatusCode);

        using var thief = Client(app, Phone);
        using var replay = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/auth/device", UriKind.Relative));
        replay.Headers.Add("Cookie", first);
        var stolen = await thief.SendAsync(replay);

        await stolen.AssertProblemAsync(401);
        Assert.Equal(HttpStatusCode.OK, (await phone.PostJsonAsync("/api/v1/auth/device", new { })).StatusCode);
    }

    [Fact]
    public async Task DeviceLogin_AfterPasswordChangeOnAnotherDevice_IsRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var phone = Client(app, Phone);
        using var tablet = Client(app, Tablet);
        await RememberAsync(phone, "pupil.a1");
        await RememberAsync(tablet, "pupil.a1");

        var change = await tablet.PostJsonAsync("/api/v1/me/password",
            new { currentPassword = TestSchools.Password, newPassword = "cheval agrafe batterie" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        // The phone's session ended with the password change; only its device credential is left.
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        var problem = await (await phone.PostJsonAsync("/api/v1/auth/device", new { })).AssertProblemAsync(401);
        Assert.Contains("mot de passe", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => Task.FromResult(d.RememberedDevices.Count())));
    }

    [Fact]
    public async Task DeviceLogin_ForgottenOnTheAccountPageOfAnotherDevice_IsRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var phone = Client(app, Phone);
        using var tablet = Client(app, Tablet);
        var phoneDevice = DeviceId(await RememberAsync(phone, "pupil.a1"));
        await RememberAsync(tablet, "pupil.a1");

        var page = await tablet.GetStringAsync(new Uri("/compte", UriKind.Relative));
        Assert.Contains("Chrome sur Android", page, StringComparison.Ordinal);
        Assert.Contains("Safari sur iPad", page, StringComparison.Ordinal);
        Assert.Contains("(cet appareil)", page, StringComparison.Ordinal);
        var forget = await FormPost.SubmitAsync(tablet, "/compte?handler=Forget", new Dictionary<string, string> { ["id"] = phoneDevice });
        Assert.Equal(HttpStatusCode.OK, forget.StatusCode);
        // The phone's session is still listed above (a session is not a remembered device).
        var devices = (await forget.Content.ReadAsStringAsync()).Split("<h2>Appareils mémorisés</h2>")[1];
        Assert.DoesNotContain("Chrome sur Android", devices, StringComparison.Ordinal);
        (await phone.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();

        await (await phone.PostJsonAsync("/api/v1/auth/device", new { })).AssertProblemAsync(401);
        (await tablet.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await tablet.PostJsonAsync("/api/v1/auth/device", new { })).StatusCode);
    }

    [Fact]
    public async Task AccountPage_ForgetSomeoneElsesDevice_IsRefusedAndTheirDeviceStillSignsIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var teacher = Client(app, Phone);
        var teacherDevice = DeviceId(await RememberAsync(teacher, "teacher.a1"));
        using var pupil = Client(app, Tablet);
        await TestSchools.LoginAsync(pupil, "pupil.a1");

        var forget = await FormPost.SubmitAsync(pupil, "/compte?handler=Forget", new Dictionary<string, string> { ["id"] = teacherDevice });

        Assert.Equal(HttpStatusCode.NotFound, forget.StatusCode);
        (await teacher.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await teacher.PostJsonAsync("/api/v1/auth/device", new { })).StatusCode);
    }

    [Fact]
    public async Task AccountPage_Anonymous_GoesToSignIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await client.GetAsync("/compte");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/connexion", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(29, HttpStatusCode.OK)]
    [InlineData(31, HttpStatusCode.Unauthorized)]
    public async Task DeviceLogin_AgainstTheRegionsMaximumAge_OpensOnlyWhileYounger(int days, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["Accounts:RememberedDeviceDays"] = "365",
            ["Accounts:RememberedDeviceDaysByRegion:TEST"] = "30",
        });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        await TestSchools.SeedAsync(app.Services);
        using var phone = app.CreateClient();
        phone.DefaultRequestHeaders.UserAgent.ParseAdd(Phone);
        var cookie = await RememberAsync(phone, "pupil.a1");
        clock.Advance(TimeSpan.FromDays(days));

        // A fresh client with only the device cookie: the session cookie of the first sign-in is gone.
        using var later = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/auth/device", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        var login = await later.SendAsync(request);

        Assert.Equal(expected, login.StatusCode);
    }

    [Fact]
    public async Task SignInPage_RememberedDevice_OffersAndPerformsTheSignInWithoutPassword()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var phone = Client(app, Phone);
        var remembered = await FormPost.SubmitAsync(phone, "/connexion", new Dictionary<string, string>
        {
            ["Login"] = "pupil.a1",
            ["Password"] = TestSchools.Password,
            ["Remember"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, remembered.StatusCode);
        (await phone.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();

        Assert.Contains("Se connecter avec cet appareil", await phone.GetStringAsync(new Uri("/connexion", UriKind.Relative)), StringComparison.Ordinal);
        var login = await FormPost.SubmitAsync(phone, "/connexion?handler=Device", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/me")).StatusCode);
    }

    private static HttpClient Client(PreauAppFactory app, string userAgent)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    /// <summary>Password sign-in that remembers the device; returns the device cookie ("name=value").</summary>
    private static async Task<string> RememberAsync(HttpClient client, string login)
    {
        var response = await client.PostJsonAsync("/api/v1/auth/login", new { login, password = TestSchools.Password, remember = true });
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(RememberedDevices.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static string DeviceId(string cookie) => DeviceIdPattern().Match(cookie).Groups[1].Value;

    [GeneratedRegex("=([0-9a-f]{32})\\.")]
    private static partial Regex DeviceIdPattern();
}
