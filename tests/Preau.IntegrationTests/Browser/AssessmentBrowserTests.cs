using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

public sealed class AssessmentBrowserTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Grid_TeacherTypesMarksAndPublishesAt360px_ParentSeesMarkAndAverage(bool javaScript)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);
        await schools.AddPupilAsync(app.Services, "pupil.a1b", "a1");
        await schools.AddPupilAsync(app.Services, "pupil.a1c", "a1");

        // The teacher creates the assessment, then fills the grid with the keyboard only.
        var teacher = await SignInAsync(browser, "teacher.a1", javaScript);
        await teacher.GotoAsync("/evaluations/nouvelle");
        await teacher.Locator("#Input_ClassSubject").SelectOptionAsync(new SelectOptionValue { Label = "4e1 · Mathématiques" });
        await teacher.GetByLabel("Titre").FillAsync("Contrôle de géométrie");
        await teacher.GetByRole(AriaRole.Button, new() { Name = "Créer et saisir les résultats" }).ClickAsync();
        await BrowserSession.WaitForPageAsync(teacher, url => new Uri(url).AbsolutePath.StartsWith("/evaluations/", StringComparison.Ordinal) && new Uri(url).Query == "?cree=1");
        await teacher.GetByLabel("Note de A1 pupil").FocusAsync();
        await teacher.Keyboard.TypeAsync("15,5");
        await teacher.Keyboard.PressAsync("Tab");
        await teacher.Keyboard.TypeAsync("9");
        await teacher.Keyboard.PressAsync("Tab");
        await teacher.Keyboard.TypeAsync("abs");
        await teacher.GetByLabel("Publier maintenant").CheckAsync();
        await teacher.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la grille" }).ClickAsync();
        await BrowserSession.WaitForPageAsync(teacher, url => new Uri(url).AbsolutePath.StartsWith("/evaluations/", StringComparison.Ordinal) && new Uri(url).Query == "?enregistre=1");
        Assert.Equal("15,5", await teacher.GetByLabel("Note de A1 pupil").InputValueAsync());
        Assert.True(await teacher.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, "the grid page is wider than the phone");

        // The parent sees the mark, the class's average (absent not counted), minimum and maximum.
        var parent = await SignInAsync(browser, "parent.a1", javaScript);
        await parent.GotoAsync("/notes");
        var content = await parent.ContentAsync();
        Assert.Contains("Contrôle de géométrie", content, StringComparison.Ordinal);
        Assert.Contains("15,5/20", content, StringComparison.Ordinal);
        Assert.Contains("moyenne 12,25", content, StringComparison.Ordinal);
        Assert.Contains("min. 9", content, StringComparison.Ordinal);
        Assert.Contains("Moyenne générale\u202F: 15,5/20", content, StringComparison.Ordinal);
        Assert.True(await parent.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, "the results page is wider than the phone");
    }

    private static async Task<IPage> SignInAsync(BrowserSession browser, string login, bool javaScript)
    {
        var page = await browser.NewPageAsync(javaScript);
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant").FillAsync(login);
        await page.GetByLabel("Mot de passe").FillAsync(TestSchools.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        // Signed in once the page offers to sign out (a locator: waiting for a load state after the click races with
        // the page's own events on a busy machine, see BrowserSession.ClickThenWaitForNextPageAsync).
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).WaitForAsync();
        return page;
    }
}
