using System.Text;
using Microsoft.Playwright;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

public sealed class HomeworkBrowserTests
{
    private static readonly byte[] s_pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    [Fact]
    public async Task Homework_TeacherPostsWithAttachment_PupilOpensAndTicks_ParentSeesTick_OthersCannotSee()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);
        var due = Preau.Web.Features.Homework.SchoolDay.Today(TimeProvider.System).AddDays(1);
        const string Title = "Problème des robinets";

        // The teacher writes the entry with a file through the page.
        var teacher = await browser.SignInAsync("teacher.a1");
        await teacher.GotoAsync("/devoirs/nouveau");
        await teacher.Locator("#Input_ClassSubject").SelectOptionAsync(new SelectOptionValue { Label = "4e1 · Mathématiques" });
        await teacher.GetByLabel("Titre").FillAsync(Title);
        await teacher.Locator("#Input_Body").FillAsync("Résoudre le **problème 3**.");
        await teacher.Locator("#Input_Date").FillAsync(due.ToString("yyyy-MM-dd"));
        await teacher.Locator("#Input_Minutes").FillAsync("25");
        await teacher.Locator("#Input_File").SetInputFilesAsync(new FilePayload { Name = "robinets.pdf", MimeType = "application/pdf", Buffer = s_pdf });
        await teacher.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await BrowserSession.WaitForPageAsync(teacher, url => new Uri(url).AbsolutePath == "/devoirs" && new Uri(url).Query == "?cree=1");
        Assert.Contains(Title, await teacher.ContentAsync(), StringComparison.Ordinal);

        // The pupil sees it on the dashboard, opens the attachment and ticks it.
        var pupil = await browser.SignInAsync("pupil.a1");
        var entry = pupil.Locator("article.entry", new() { HasText = Title });
        await Assertions.Expect(entry).ToBeVisibleAsync();
        var attachmentLink = entry.GetByRole(AriaRole.Link, new() { Name = "robinets.pdf" });
        var attachmentUrl = await attachmentLink.GetAttributeAsync("href") ?? throw new InvalidOperationException("no link");
        var download = await pupil.RunAndWaitForDownloadAsync(() => attachmentLink.ClickAsync());
        Assert.Equal("robinets.pdf", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Equal(s_pdf, await File.ReadAllBytesAsync(path));
        await entry.GetByRole(AriaRole.Button, new() { Name = "Marquer comme fait" }).ClickAsync();
        await Assertions.Expect(pupil.Locator("article.entry", new() { HasText = Title }).Locator(".ok")).ToHaveTextAsync("Fait ✓");

        // The parent sees the tick.
        var parent = await browser.SignInAsync("parent.a1");
        await Assertions.Expect(parent.Locator("article.entry", new() { HasText = Title }).Locator(".ok")).ToHaveTextAsync("Fait ✓");

        // A pupil of another class, a pupil and a teacher of another school: not on the page, not in the API, no file.
        foreach (var login in new[] { "pupil.a2", "pupil.b1", "teacher.b1" })
        {
            var other = await browser.SignInAsync(login);
            Assert.DoesNotContain(Title, await other.ContentAsync(), StringComparison.Ordinal);
            await other.GotoAsync("/devoirs");
            Assert.DoesNotContain(Title, await other.ContentAsync(), StringComparison.Ordinal);
            var api = await other.Context.APIRequest.GetAsync($"/api/v1/homework?from={due.AddDays(-1):yyyy-MM-dd}&to={due.AddDays(1):yyyy-MM-dd}");
            Assert.True(api.Ok);
            Assert.DoesNotContain(Title, await api.TextAsync(), StringComparison.Ordinal);
            var file = await other.Context.APIRequest.GetAsync(attachmentUrl);
            Assert.Equal(404, file.Status);
            var response = await other.GotoAsync(attachmentUrl);
            Assert.Equal(404, response?.Status);
            Assert.Contains("n'existe pas", await other.ContentAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Homework_WithJavaScriptDisabled_PupilTicksFromTheList()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);
        var due = Preau.Web.Features.Homework.SchoolDay.Today(TimeProvider.System).AddDays(1);
        using (var teacher = app.CreateClient())
        {
            await TestSchools.LoginAsync(teacher, "teacher.a1");
            var created = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(teacher,
                new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative),
                new { title = "Sans JavaScript", subjectId = schools.Subjects["maths"], dueDate = due });
            created.EnsureSuccessStatusCode();
        }

        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant").FillAsync("pupil.a1");
        await page.GetByLabel("Mot de passe").FillAsync(TestSchools.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.GotoAsync("/devoirs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Marquer comme fait" }).ClickAsync();

        await Assertions.Expect(page.Locator("article.entry .ok")).ToHaveTextAsync("Fait ✓");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"page is {width}px wide on a 360px screen");
    }
}
