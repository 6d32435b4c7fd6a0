using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Apps.Registry;

/// <summary>Issue 16 in Chromium at 360 px: the region administrator declares an app without JavaScript, and a
/// pupil opens it from the home page. PREAU_TEST_SCREENSHOTS names a folder to keep the screenshots in.</summary>
public sealed class AppsBrowserTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeclareThenOpen_At360Px_AdminSavesPupilOpensFromHome(bool javaScript)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);
        // An address Préau itself answers, so that following the link needs no outside network.
        var launchUrl = new Uri(browser.BaseAddress, "/statut").ToString();

        var admin = await browser.SignInAsync("regionadmin", javaScript: javaScript);
        await admin.GotoAsync("/region/applications");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Déclarer une application" }).ClickAsync();
        await admin.GetByLabel("Nom affiché aux utilisateurs").FillAsync("Manuels numériques");
        await admin.GetByLabel("URI de redirection (OpenID Connect) ou URL de service (CAS), une par ligne").FillAsync("https://manuels.example.org/*");
        await admin.GetByLabel("URL de lancement").FillAsync(launchUrl);
        await admin.GetByLabel("Parents").CheckAsync();
        await Shot(admin, "apps-new", javaScript);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        // Refused (a wildcard): the French message, and everything typed still there.
        await Assertions.Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("jokers");
        await Assertions.Expect(admin.GetByLabel("Nom affiché aux utilisateurs")).ToHaveValueAsync("Manuels numériques");
        await Assertions.Expect(admin.GetByLabel("Parents")).ToBeCheckedAsync();
        await NoSideScrollAsync(admin, javaScript);
        await Shot(admin, "apps-refused", javaScript);
        await admin.GetByLabel("URI de redirection (OpenID Connect) ou URL de service (CAS), une par ligne").FillAsync("https://manuels.example.org/callback");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("une seule fois");
        await NoSideScrollAsync(admin, javaScript);
        await Shot(admin, "apps-secret", javaScript);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Voir l'application" }).ClickAsync();
        await NoSideScrollAsync(admin, javaScript);
        await Shot(admin, "apps-edit", javaScript);
        await admin.GotoAsync("/region/applications");
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Manuels numériques" })).ToBeVisibleAsync();
        await Shot(admin, "apps-list", javaScript);

        var pupil = await browser.SignInAsync("pupil.a1", javaScript: javaScript);
        await pupil.GotoAsync("/");
        await NoSideScrollAsync(pupil, javaScript);
        await Shot(pupil, "apps-home", javaScript);
        await pupil.GetByRole(AriaRole.Link, new() { Name = "Manuels numériques" }).ClickAsync();
        await Assertions.Expect(pupil).ToHaveURLAsync(launchUrl);
        Assert.Equal(1, await app.WithDbAsync(d => d.ConnectedApps.CountAsync()));
    }

    private static async Task NoSideScrollAsync(IPage page, bool javaScript)
    {
        // Measuring needs script; the page is the same without it.
        if (javaScript)
        {
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"), page.Url);
        }
    }

    private static async Task Shot(IPage page, string name, bool javaScript)
    {
        if (Environment.GetEnvironmentVariable("PREAU_TEST_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{(javaScript ? "js" : "nojs")}.png"), FullPage = true });
        }
    }
}
