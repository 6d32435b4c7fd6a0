using Microsoft.Playwright;
using Preau.IntegrationTests.Features.Accounts;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

public sealed class AccountBrowserTests
{
    private const string NewPassword = "cheval agrafe batterie";

    [Fact]
    public async Task LoginPage_ActivationCodeThenNewPassword_LandsSignedIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);
        var code = await ActivationTests.GiveActivationCodeAsync(app, schools.People["pupil.a1"], TimeSpan.FromDays(7));

        var page = await browser.SignInAsync("pupil.a1", code);
        Assert.Equal("Choisissez votre mot de passe", await page.Locator("h1").InnerTextAsync());
        await page.GetByLabel("Nouveau mot de passe", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirmez le mot de passe", new() { Exact = true }).FillAsync(NewPassword);
        await BrowserSession.ClickThenWaitForNextPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et se connecter" }));

        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        Assert.Contains("pupil A1", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
        var again = await browser.SignInAsync("pupil.a1", NewPassword);
        Assert.Contains("pupil A1", await again.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivationPage_WeakThenExpired_ShowsFrenchErrors()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);
        var code = await ActivationTests.GiveActivationCodeAsync(app, schools.People["pupil.b1"], TimeSpan.FromDays(-1));
        // No JavaScript: the form must work (and explain itself) without it.
        var page = await browser.NewPageAsync(javaScript: false);

        await page.GotoAsync("/activation");
        await page.GetByLabel("Identifiant").FillAsync("pupil.b1");
        await page.GetByLabel("Code d'activation").FillAsync(code);
        await page.GetByLabel("Nouveau mot de passe", new() { Exact = true }).FillAsync("azertyuiop");
        await page.GetByLabel("Confirmez le mot de passe", new() { Exact = true }).FillAsync("azertyuiop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et se connecter" }).ClickAsync();
        Assert.Contains("trop courant", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("Nouveau mot de passe", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirmez le mot de passe", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et se connecter" }).ClickAsync();
        Assert.Contains("a expiré", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layout_SignOutButton_EndsTheSession()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);
        var page = await browser.SignInAsync("teacher.a1");

        await BrowserSession.ClickThenWaitForNextPageAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }));

        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).CountAsync());
        var me = await page.Context.APIRequest.GetAsync("/api/v1/me");
        Assert.Equal(401, me.Status);
    }

    [Fact]
    public async Task PasswordPage_ChangeThenSignInWithNewPassword_Works()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);
        var page = await browser.SignInAsync("parent.b2");

        await page.GotoAsync("/compte/mot-de-passe");
        await page.GetByLabel("Mot de passe actuel").FillAsync(TestSchools.Password);
        await page.GetByLabel("Nouveau mot de passe", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirmez le mot de passe", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Changer le mot de passe" }).ClickAsync();

        Assert.Contains("Votre mot de passe est changé", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        var again = await browser.SignInAsync("parent.b2", NewPassword);
        Assert.Contains("parent B2", await again.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
    }
}
