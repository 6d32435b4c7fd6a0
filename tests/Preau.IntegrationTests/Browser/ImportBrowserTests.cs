using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Preau.IntegrationTests.Features.Import;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

/// <summary>Bringing a school in, in Chromium at 360 px: the head's import and login cards, the staff's
/// resets and weekly lessons (the lesson form without JavaScript).</summary>
public sealed class ImportBrowserTests
{
    [Fact]
    public async Task SchoolImport_HeadChecksAppliesAndPrintsCards_StaffIssuesACode()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);

        // The head uploads the three exports as they come, reads the simulation, then applies it.
        var head = await browser.SignInAsync("schooladmin.a");
        await head.GotoAsync("/etablissement/import");
        await head.Locator("#eleves").SetInputFilesAsync(ImportRun.Sample("eleves-0750001A.xml"));
        await head.Locator("#responsables").SetInputFilesAsync(ImportRun.Sample("responsables-0750001A.xml"));
        await head.Locator("#sts").SetInputFilesAsync(ImportRun.Sample("sts-0750001A.xml"));
        await head.GetByRole(AriaRole.Button, new() { Name = "Vérifier (simulation)" }).ClickAsync();
        await Assertions.Expect(head.GetByRole(AriaRole.Heading, new() { Name = "Simulation : rien n'a encore été enregistré" })).ToBeVisibleAsync();
        Assert.False(await app.WithDbAsync(d => d.People.AnyAsync(p => p.LastName == "CŒUR")));
        await head.GetByRole(AriaRole.Button, new() { Name = "Appliquer ces changements" }).ClickAsync();
        await Assertions.Expect(head.GetByRole(AriaRole.Heading, new() { Name = "Import terminé" })).ToBeVisibleAsync();
        Assert.True(await app.WithDbAsync(d => d.People.AnyAsync(p => p.LastName == "CŒUR" && p.FirstName == "Anaïs")));

        // The cards of one imported class come as a PDF download.
        await head.GetByRole(AriaRole.Link, new() { Name = "cartes de connexion" }).ClickAsync();
        var row = head.Locator("tr", new() { HasText = "4A" }).First;
        var download = await head.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Button, new() { Name = "Imprimer les cartes (PDF)" }).ClickAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.Ordinal);
        var pdf = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);

        // The vie scolaire gives a new code to a pupil who lost hers.
        var staff = await browser.SignInAsync("staff.a");
        await staff.GotoAsync("/etablissement/codes");
        await staff.Locator("#q").FillAsync("Cœur");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        await staff.Locator("tr", new() { HasText = "Anaïs" }).GetByRole(AriaRole.Button, new() { Name = "Nouveau code" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("Nouveau code pour Anaïs CŒUR");
        Assert.False(string.IsNullOrWhiteSpace(await staff.Locator("#code").TextContentAsync()));
        Assert.True(await app.WithDbAsync(d => d.ActivationResets.AnyAsync()));
    }

    [Fact]
    public async Task WeeklyLessons_StaffCreatesLessonWithoutJavaScript_SeenOnTheClassTimetable()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);

        var staff = await browser.NewPageAsync(javaScript: false);
        await staff.GotoAsync("/connexion");
        await staff.GetByLabel("Identifiant").FillAsync("staff.a");
        await staff.GetByLabel("Mot de passe").FillAsync(TestSchools.Password);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await staff.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Emploi du temps" }).ClickAsync();
        await staff.Locator("#classe").SelectOptionAsync(new SelectOptionValue { Label = "4e1" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await staff.GetByRole(AriaRole.Link, new() { Name = "Nouveau cours" }).ClickAsync();

        // A clash with the teacher's own lesson comes back in French with what was typed.
        await FillLessonAsync(staff, "4e1", "mardi", "10:00", "11:00", "B12");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await staff.GotoAsync("/etablissement/emploi-du-temps/cours");
        await FillLessonAsync(staff, "4e2", "mardi", "10:30", "11:30", "C01");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Alert)).ToContainTextAsync("a déjà cours avec 4e1");
        Assert.Equal("C01", await staff.Locator("#Input_Room").InputValueAsync());

        // The first lesson is on the class's timetable for the staff and in the pupil's week.
        await staff.GotoAsync("/etablissement/emploi-du-temps");
        await Assertions.Expect(staff.Locator("ul.lessons li", new() { HasText = "10:00–11:00" })).ToContainTextAsync("Mathématiques, A1 teacher, salle B12");
        var wide = await staff.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))");
        Assert.True(wide.Length == 0, "Wider than 360 px: " + string.Join(" | ", wide));
        var pupil = await browser.SignInAsync("pupil.a1");
        await pupil.GotoAsync("/emploi-du-temps");
        await Assertions.Expect(pupil.Locator("body")).ToContainTextAsync("Mathématiques");
        Assert.Equal(1, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));

        // Both pages pass axe-core, the list with its lesson and the form with a lesson in it.
        var id = await app.WithDbAsync(d => d.TimetableLessons.Select(l => l.Id).SingleAsync());
        var seen = await browser.SignInAsync("schooladmin.a");
        foreach (var path in new[] { "/etablissement/emploi-du-temps", $"/etablissement/emploi-du-temps/cours?id={id}", $"/etablissement/emploi-du-temps/cours?id={id}&supprimer=true" })
        {
            await seen.GotoAsync(path);
            var results = await seen.RunAxe();
            Assert.True(results.Violations.Length == 0, path + " : " + string.Join(", ", results.Violations.Select(v => v.Id)));
        }
    }

    private static async Task FillLessonAsync(IPage page, string group, string day, string start, string end, string room)
    {
        await page.Locator("#Input_Group").SelectOptionAsync(new SelectOptionValue { Label = group });
        await page.Locator("#Input_Subject").SelectOptionAsync(new SelectOptionValue { Label = "Mathématiques" });
        await page.Locator("#Input_Teacher").SelectOptionAsync(new SelectOptionValue { Label = "A1 teacher" });
        await page.Locator("#Input_Room").FillAsync(room);
        await page.Locator("#Input_Day").SelectOptionAsync(new SelectOptionValue { Label = day });
        await page.Locator("#Input_Start").FillAsync(start);
        await page.Locator("#Input_End").FillAsync(end);
    }
}
