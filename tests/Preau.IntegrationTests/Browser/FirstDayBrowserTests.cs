using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Preau.IntegrationTests.Browser;

/// <summary>What a newcomer gets in a real browser: typed text survives an expired session, and
/// axe-core finds no accessibility violation on any page of any profile.</summary>
public sealed class FirstDayBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task NewHomework_SessionExpiredWhileWriting_TextBackAfterSignInWithNotice()
    {
        await using var db = TestDatabase.Create("Sqlite");
        // The signed-out POST must reach the sign-in redirect, not a waiting room on a busy CI machine.
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Gate:Enabled"] = "false" });
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);
        var page = await browser.SignInAsync("teacher.a1");
        await page.GotoAsync("/devoirs/nouveau");
        await page.GetByLabel("Classe et matière").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.GetByLabel("Titre").FillAsync("Exposé sur les volcans");
        await page.GetByLabel("Consignes", new() { Exact = false }).FillAsync("Trois pages, avec un schéma légendé.");

        // The session ends while the teacher writes (expired, or signed out on another tab).
        await page.Context.ClearCookiesAsync(new() { Name = "preau" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await BrowserSession.WaitForPageAsync(page, url => new Uri(url).AbsolutePath == "/connexion");
        Assert.Contains("Votre session a expiré", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Identifiant").FillAsync("teacher.a1");
        await page.GetByLabel("Mot de passe").FillAsync(TestSchools.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await BrowserSession.WaitForPageAsync(page, url => new Uri(url).AbsolutePath == "/devoirs/nouveau");

        Assert.Equal("Exposé sur les volcans", await page.GetByLabel("Titre").InputValueAsync());
        Assert.NotEqual("", await page.GetByLabel("Classe et matière").InputValueAsync());
        Assert.Equal("Trois pages, avec un schéma légendé.", await page.GetByLabel("Consignes", new() { Exact = false }).InputValueAsync());
        Assert.Contains("Votre session avait expiré", await page.GetByRole(AriaRole.Status).First.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPage_EveryProfile_NoAxeViolation()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);
        var pages = await ProfilePages.SeedAsync(app, schools);

        var failures = new List<string>();
        foreach (var (login, paths) in pages)
        {
            var page = login == "" ? await browser.NewPageAsync() : await browser.SignInAsync(login);
            foreach (var path in paths)
            {
                await page.GotoAsync(path);
                var results = await page.RunAxe(KeptOnPurpose.Contains(path) ? WithoutMetaRefresh : ViolationsOnly);
                foreach (var v in results.Violations)
                {
                    var line = $"{login} {path}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}";
                    output.WriteLine(line);
                    failures.Add(line);
                }
            }

            await page.Context.CloseAsync();
        }

        Assert.Empty(failures);
    }

    /// <summary>Pages that refresh themselves on purpose (README, "Pages that refresh themselves"):
    /// they say so and offer a manual link, so axe's meta-refresh rule is the one exception.</summary>
    private static readonly HashSet<string> KeptOnPurpose = ["/statut"];

    /// <summary>Every rule runs; only the violations are gathered in full (the passes' nodes are what makes a
    /// run slow on a long page, and the sweep reads nothing else).</summary>
    private static readonly AxeRunOptions ViolationsOnly = new() { ResultTypes = [ResultType.Violations] };

    private static readonly AxeRunOptions WithoutMetaRefresh = new()
    {
        Rules = new Dictionary<string, RuleOptions> { ["meta-refresh"] = new RuleOptions { Enabled = false } },
        ResultTypes = [ResultType.Violations],
    };
}
