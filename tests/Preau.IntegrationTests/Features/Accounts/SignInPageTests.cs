using System.Net;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts;

/// <summary>The forms people use, posted as a browser without JavaScript would.</summary>
public sealed class SignInPageTests
{
    [Fact]
    public async Task LoginPage_LockedAccount_Shows429FrenchMessageWithRetryAfter()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Accounts:LockoutThreshold"] = "2" });
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();

        await SignInApiTests.PostLoginPageAsync(client, "pupil.a1", "mauvais-mot");
        await SignInApiTests.PostLoginPageAsync(client, "pupil.a1", "mauvais-mot");
        var page = await SignInApiTests.PostLoginPageAsync(client, "pupil.a1", TestSchools.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.True(page.Headers.Contains("Retry-After"));
        Assert.Contains("ce compte est bloqué pendant 15 minutes", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogoutPage_PostWithoutAntiforgeryToken_IsRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        var forged = await client.PostAsync(new Uri("/deconnexion", UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task PasswordPage_Anonymous_RedirectsToLogin()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/compte/mot-de-passe");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}
