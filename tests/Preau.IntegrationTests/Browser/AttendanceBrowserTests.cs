using Microsoft.Playwright;
using Preau.IntegrationTests.Features.Attendance;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

public sealed class AttendanceBrowserTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Register_TeacherTakesItAt360Px_ParentToldAndJustifies_StaffAccepts(bool javaScript)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);
        await AttendanceTestData.SeedLessonTodayAsync(app, schools);

        // The teacher goes from the timetable to today's lesson and ticks one pupil absent.
        var teacher = await browser.SignInAsync("teacher.a1", javaScript: javaScript);
        await teacher.GotoAsync("/emploi-du-temps");
        await teacher.GetByRole(AriaRole.Link, new() { Name = "Faire l'appel" }).ClickAsync();
        await teacher.GetByRole(AriaRole.Link, new() { Name = "Faire l'appel" }).ClickAsync();
        var pupil = teacher.GetByRole(AriaRole.Group, new() { Name = "A1 pupil", Exact = true });
        await pupil.GetByLabel("Absent").CheckAsync();
        Assert.True(await teacher.GetByRole(AriaRole.Group, new() { Name = "A1B pupil" }).GetByLabel("Présent").IsCheckedAsync());
        if (javaScript)
        {
            Assert.True(await teacher.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 360"));
        }

        await teacher.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'appel" }).ClickAsync();
        await Assertions.Expect(teacher.GetByRole(AriaRole.Status)).ToContainTextAsync("Appel enregistré");

        // The parent sees it in the timeline, opens it and justifies.
        var parent = await browser.SignInAsync("parent.a1", javaScript: javaScript);
        await parent.GotoAsync("/fil");
        await parent.GetByRole(AriaRole.Link, new() { Name = "Absence de pupil" }).ClickAsync();
        await parent.GetByRole(AriaRole.Link, new() { Name = "Justifier" }).ClickAsync();
        await parent.GetByLabel("Maladie").CheckAsync();
        await parent.GetByLabel("Commentaire").FillAsync("Grippe");
        await parent.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
        await Assertions.Expect(parent.GetByRole(AriaRole.Status)).ToContainTextAsync("Justificatif envoyé");

        // The school life office accepts; the parent sees the decision.
        var staff = await browser.SignInAsync("staff.a", javaScript: javaScript);
        await staff.GotoAsync("/vie-scolaire/absences");
        var entry = staff.Locator("article.entry", new() { HasText = "Grippe" });
        await entry.GetByRole(AriaRole.Button, new() { Name = "Accepter" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToContainTextAsync("Justificatif accepté");
        await parent.GotoAsync("/absences");
        await Assertions.Expect(parent.Locator("#contenu .list")).ToContainTextAsync("Justifiée");
        await parent.GotoAsync("/fil");
        await Assertions.Expect(parent.GetByRole(AriaRole.Link, new() { Name = "Justificatif accepté" })).ToBeVisibleAsync();
    }
}
