using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Preau.IntegrationTests.Browser;

/// <summary>The waiting room as a pupil on a phone meets it: in Chromium, 360 px wide, when every place is taken.</summary>
public sealed class GateBrowserTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> s_oneSeat = new()
    {
        ["Gate:MaxActiveUsers"] = "1",
        ["Gate:InitialAdmissionsPerSecond"] = "100",
        ["Gate:FairStartWindow"] = "00:00:00",
        ["Gate:RefreshSeconds"] = "30",
    };

    [Fact]
    public async Task WaitingRoom_PhoneWhilePlacesFull_ReadablePositionThenLetInWhenThePlaceFrees()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);
        var first = await browser.SignInAsync("pupil.a1");
        Assert.Equal("/", new Uri(first.Url).AbsolutePath);

        // The second pupil signs in (the sign-in lane is never queued) and lands in the waiting room.
        var second = await browser.SignInAsync("pupil.a2");
        var main = await second.Locator("main").InnerTextAsync();
        output.WriteLine(main);
        Assert.Contains("Préau est très demandé en ce moment", main, StringComparison.Ordinal);
        Assert.Contains("Votre place", main, StringComparison.Ordinal);
        Assert.Contains("Attente estimée", main, StringComparison.Ordinal);
        Assert.Equal(1, await second.Locator("meta[http-equiv='refresh']").CountAsync());
        Assert.Equal(1, await second.GetByRole(AriaRole.Link, new() { Name = "Actualiser maintenant" }).CountAsync());

        // Readable on a 360 px phone: nothing wider than the screen, nothing an accessibility check objects to
        // (the refresh is the waiting room's purpose, said on the page and offered by hand: README).
        Assert.True(await second.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            "the waiting page scrolls sideways at 360 px");
        var axe = await second.RunAxe(new AxeRunOptions
        {
            Rules = new Dictionary<string, RuleOptions> { ["meta-refresh"] = new RuleOptions { Enabled = false } },
        });
        foreach (var violation in axe.Violations)
        {
            output.WriteLine($"{violation.Id} ({violation.Impact}) {violation.Help}");
        }

        Assert.Empty(axe.Violations);

        // The first pupil signs out: the waiting page lets the second in by itself, nobody reloads.
        await first.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await second.WaitForFunctionAsync("() => document.querySelector(\"meta[http-equiv='refresh']\") === null", null,
            new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 500 });
        Assert.Equal("/", new Uri(second.Url).AbsolutePath);
        Assert.DoesNotContain("attente", await second.TitleAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
