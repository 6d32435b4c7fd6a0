using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

public sealed class SignInBrowserTests
{
    [Fact]
    public async Task LoginPage_PupilWithGoodPassword_LandsSignedInWithName()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);

        var page = await browser.SignInAsync("pupil.a1");

        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        Assert.Contains("pupil A1", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).CountAsync());
    }

    [Fact]
    public async Task LoginPage_WrongPassword_ShowsFrenchErrorAndStaysSignedOut()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);

        var page = await browser.SignInAsync("pupil.a1", "pas-le-bon");

        Assert.Contains("Identifiant ou mot de passe incorrect.", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).CountAsync());
    }
}
