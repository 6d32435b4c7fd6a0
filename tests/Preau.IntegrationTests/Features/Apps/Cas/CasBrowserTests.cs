using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Apps.Cas;

/// <summary>Issue 16 in a real browser at 360 px: a pupil signs in to Préau once, opens the app behind Apache's
/// mod_auth_cas from the home page's "Mes applications" without typing a password again, and signing out of
/// Préau signs them out of the app (CAS single logout).</summary>
public sealed class CasBrowserTests
{
    [Fact]
    public async Task ModAuthCasPage_PupilOpensItFromHomePage_NoPasswordThenSignedOutWithPreau()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var stack = await CasStack.StartAsync(db);
        var schools = await TestSchools.SeedAsync(stack.App.Services);
        await CasTestApps.DeclareAsync(stack.App.Services, schools, stack.Apache.PageUrl, profiles: "Pupil");
        await using var browser = await BrowserSession.LaunchAsync(stack.App, stack.Preau);

        var page = await browser.SignInAsync("pupil.a1");
        await page.GotoAsync(new Uri(stack.Preau, "/").ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Manuels numériques" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = CasApache.PageText })).ToBeVisibleAsync();
        Assert.Equal(stack.Apache.PageUrl, page.Url);
        Assert.Equal(0, await page.Locator("input[type=password]").CountAsync());

        // signing out of Préau in the browser: Préau sends the single-logout request, Apache forgets the session
        await page.GotoAsync(new Uri(stack.Preau, "/").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToHaveCountAsync(0);
        var deadline = DateTime.UtcNow.AddSeconds(60); // the logout request is sent in the background
        do
        {
            await page.GotoAsync(stack.Apache.PageUrl);
        }
        while (new Uri(page.Url).AbsolutePath != "/connexion" && DateTime.UtcNow < deadline && await PauseAsync());
        Assert.Equal("/connexion", new Uri(page.Url).AbsolutePath);
        Assert.Equal(1, await page.Locator("input[type=password]").CountAsync());
    }

    private static async Task<bool> PauseAsync()
    {
        await Task.Delay(500);
        return true;
    }
}
