using System.Text;
using Microsoft.Playwright;
using Preau.IntegrationTests.Features.Homework;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

public sealed class HandInBrowserTests
{
    private static readonly byte[] s_pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HandIn_PupilHandsInOnPhone_TeacherReturns_PupilGetsCorrectionBack(bool javaScript)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);
        Guid id;
        using (var teacherApi = app.CreateClient())
        {
            await TestSchools.LoginAsync(teacherApi, "teacher.a1");
            id = await HandInTests.PostHandInAsync(teacherApi, schools, title: "Rédaction sur le quartier");
        }

        var pupil = await browser.NewPageAsync(javaScript);
        await pupil.GotoAsync("/connexion");
        await pupil.GetByLabel("Identifiant").FillAsync("pupil.a1");
        await pupil.GetByLabel("Mot de passe").FillAsync(TestSchools.Password);
        await pupil.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await BrowserSession.WaitForPageAsync(pupil, url => !url.Contains("/connexion", StringComparison.Ordinal));
        await pupil.GotoAsync("/devoirs");
        await pupil.GetByRole(AriaRole.Link, new() { Name = "Rendre mon travail" }).ClickAsync();
        await Assertions.Expect(pupil.Locator("p.status")).ToContainTextAsync("À rendre");
        await pupil.GetByLabel("Votre réponse").FillAsync("Mon quartier a une boulangerie.");
        await pupil.Locator("#Input_Files").SetInputFilesAsync(new FilePayload { Name = "plan.pdf", MimeType = "application/pdf", Buffer = s_pdf });
        await pupil.GetByRole(AriaRole.Button, new() { Name = "Rendre mon travail" }).ClickAsync();
        await Assertions.Expect(pupil.Locator("p.notice")).ToHaveTextAsync("Votre travail est rendu.");
        await Assertions.Expect(pupil.Locator("p.status")).ToContainTextAsync("Rendu");
        Assert.True(await pupil.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, "hand-in page wider than 360px");

        // The teacher returns it from the class's list, on a phone too.
        var teacher = await browser.SignInAsync("teacher.a1");
        await teacher.GotoAsync($"/devoirs/{id}/copies");
        await teacher.GetByRole(AriaRole.Link, new() { Name = "A1 pupil" }).ClickAsync();
        await teacher.GetByLabel("Commentaire").FillAsync("Bien observé.");
        await teacher.Locator("#Input_Mark").FillAsync("15");
        await teacher.Locator("#Input_File").SetInputFilesAsync(new FilePayload { Name = "plan-corrigé.pdf", MimeType = "application/pdf", Buffer = s_pdf });
        await teacher.GetByRole(AriaRole.Button, new() { Name = "Rendre la correction" }).ClickAsync();
        await Assertions.Expect(teacher.Locator("p.notice")).ToHaveTextAsync("La correction est enregistrée.");
        Assert.True(await teacher.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, "list page wider than 360px");

        await pupil.GotoAsync($"/devoirs/{id}/rendu");
        await Assertions.Expect(pupil.Locator("p.status")).ToContainTextAsync("Corrigé");
        await Assertions.Expect(pupil.Locator("section.return")).ToContainTextAsync("15/20");
        await Assertions.Expect(pupil.Locator("section.return")).ToContainTextAsync("Bien observé.");
        var download = await pupil.RunAndWaitForDownloadAsync(() => pupil.GetByRole(AriaRole.Link, new() { Name = "plan-corrigé.pdf" }).ClickAsync());
        Assert.Equal(s_pdf, await File.ReadAllBytesAsync(await download.PathAsync()));
    }
}
