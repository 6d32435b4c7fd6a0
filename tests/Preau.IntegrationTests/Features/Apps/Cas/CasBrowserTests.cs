using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Apps.Cas;

/// <summary>Issue 16 in a real browser at 360 px: a pupil signs in to Préau once, then opens the app behind
/// Apache's mod_auth_cas without typing a password again.</summary>
public sealed class CasBrowserTests
{
    [Fact]
    public async Task ModAuthCasPage_PupilSignedInToPreau_OpensWithoutPassword()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var stack = await CasStack.StartAsync(db);
        var schools = await TestSchools.SeedAsync(stack.App.Services);
        await CasTestApps.DeclareAsync(stack.App.Services, schools, stack.Apache.PageUrl, profiles: "Pupil");
        await using var browser = await BrowserSession.LaunchAsync(stack.App, stack.Preau);

        var page = await browser.SignInAsync("pupil.a1");
        Assert.NotEqual("/connexion", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync(stack.Apache.PageUrl);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = CasApache.PageText })).ToBeVisibleAsync();
        Assert.Equal(stack.Apache.PageUrl, page.Url);
        Assert.Equal(0, await page.Locator("input[type=password]").CountAsync());
    }
}
