using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Preau.IntegrationTests.Features.Messaging;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Browser;

public sealed class MessagingBrowserTests
{
    [Fact]
    public async Task Messaging_TeacherWritesToClassParents_ParentReadsAndReplies()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);

        var teacher = await browser.SignInAsync("teacher.a1");
        await teacher.GotoAsync("/messagerie/ecrire");
        await teacher.GetByLabel("Parents de 4e1").CheckAsync();
        await teacher.GetByLabel("Objet").FillAsync("Sortie au musée");
        await teacher.GetByLabel("Message", new() { Exact = true }).FillAsync("Merci de signer l'autorisation.");
        await teacher.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
        Assert.Contains("Message envoyé.", await teacher.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);

        var parent = await browser.SignInAsync("parent.a1");
        await parent.GotoAsync("/messagerie");
        Assert.Contains("Reçus (1)", await parent.GetByRole(AriaRole.Navigation, new() { Name = "Dossiers" }).InnerTextAsync(), StringComparison.Ordinal);
        await parent.GetByRole(AriaRole.Link, new() { Name = "Sortie au musée" }).ClickAsync();
        Assert.Contains("Merci de signer l'autorisation.", await parent.Locator("article").InnerTextAsync(), StringComparison.Ordinal);
        await parent.GetByLabel("Votre réponse").FillAsync("C'est signé, merci.");
        await parent.GetByRole(AriaRole.Button, new() { Name = "Répondre", Exact = true }).ClickAsync();
        Assert.Contains("Message envoyé.", await parent.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);

        await teacher.GotoAsync("/messagerie");
        await teacher.GetByRole(AriaRole.Link, new() { Name = "RE : Sortie au musée" }).ClickAsync();
        Assert.Contains("C'est signé, merci.", await teacher.Locator("article").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("parent A1", await teacher.Locator("article").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messaging_PupilCannotPickOrForgeRecipientOutsideRules_PageAndApiRefuse()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);

        var pupil = await browser.SignInAsync("pupil.a1");
        await pupil.GotoAsync("/messagerie/ecrire");
        var offered = await pupil.Locator("input[name=To]").EvaluateAllAsync<string[]>("els => els.map(e => e.value)");
        Assert.Contains($"person:{schools.People["teacher.a1"]}", offered);
        Assert.DoesNotContain($"person:{schools.People["teacher.a2"]}", offered);
        Assert.DoesNotContain(offered, o => o.StartsWith("parents:", StringComparison.Ordinal) || o.StartsWith("pupils:", StringComparison.Ordinal));

        // Forge: add a checkbox the picker never offered, and post the real form.
        await pupil.EvaluateAsync(@"v => { const i = document.createElement('input'); i.type = 'checkbox'; i.name = 'To'; i.value = v; i.checked = true;
            document.querySelector('fieldset').appendChild(i); }", $"parents:{schools.Classes["a1"]}");
        await pupil.GetByLabel("Objet").FillAsync("Fête");
        await pupil.GetByLabel("Message", new() { Exact = true }).FillAsync("Venez tous !");
        var response = await pupil.RunAndWaitForResponseAsync(
            () => pupil.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("Vous ne pouvez pas écrire à certains destinataires", await pupil.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        // What was typed is still there (kept in the form and as a draft).
        Assert.Equal("Venez tous !", await pupil.GetByLabel("Message", new() { Exact = true }).InputValueAsync());

        using var api = await MessagingApiTests.ClientAsync(app, "pupil.a1");
        var forged = await api.PostAsJsonAsync(new Uri("/api/v1/messages", UriKind.Relative),
            new { to = new[] { $"person:{schools.People["teacher.b1"]}" }, subject = "x", body = "y" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Empty((await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/messages?folder=sent")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Compose_TypingWithScript_DraftAutosavedWithoutClicking()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Messaging:AutosaveSeconds"] = "2" });
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);

        var teacher = await browser.SignInAsync("teacher.a1");
        await teacher.GotoAsync("/messagerie/ecrire");
        await teacher.GetByLabel("Objet").FillAsync("Brouillon automatique");
        await teacher.GetByLabel("Message", new() { Exact = true }).FillAsync("Texte tapé puis la batterie lâche.");
        await teacher.Locator("#autosave-status").GetByText("Brouillon enregistré").WaitForAsync();

        // A new browser profile (the first tab is gone) finds the draft on the server.
        var again = await browser.SignInAsync("teacher.a1");
        await again.GotoAsync("/messagerie/brouillons");
        await again.GetByRole(AriaRole.Link, new() { Name = "Brouillon automatique" }).ClickAsync();
        Assert.Equal("Texte tapé puis la batterie lâche.", await again.GetByLabel("Message", new() { Exact = true }).InputValueAsync());
    }

    [Fact]
    public async Task News_WithReadReceipt_AuthorSeesWhoRead()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        await TestSchools.SeedAsync(app.Services);

        var teacher = await browser.SignInAsync("teacher.a1");
        await teacher.GotoAsync("/actualites/publier");
        await teacher.GetByLabel("Titre").FillAsync("Réunion parents-professeurs");
        await teacher.GetByLabel("Texte").FillAsync("Jeudi à 18 h, salle 12.");
        await teacher.GetByLabel("Parents de 4e1").CheckAsync();
        await teacher.GetByLabel("Accusé de lecture demandé").CheckAsync();
        await teacher.GetByRole(AriaRole.Button, new() { Name = "Publier" }).ClickAsync();
        Assert.Contains("Actualité publiée.", await teacher.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        var newsUrl = teacher.Url;

        var parent = await browser.SignInAsync("parent.a1");
        await parent.GotoAsync("/fil");
        await parent.GetByRole(AriaRole.Link, new() { Name = "Actualité : Réunion parents-professeurs" }).ClickAsync();
        Assert.Contains("Jeudi à 18 h, salle 12.", await parent.Locator("article").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await parent.GetByRole(AriaRole.Link, new() { Name = "Voir qui l'a lue" }).CountAsync());

        await teacher.GotoAsync(newsUrl);
        await teacher.GetByRole(AriaRole.Link, new() { Name = "Voir qui l'a lue" }).ClickAsync();
        Assert.Equal("1 sur 1", await teacher.Locator("#read-count").InnerTextAsync());
        Assert.Contains("parent A1", await teacher.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_SchoolAdminSwitchesOffPupilsToStaff_PupilSendRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await using var browser = await BrowserSession.StartAsync(app);
        var schools = await TestSchools.SeedAsync(app.Services);

        var teacher = await browser.SignInAsync("teacher.a1");
        var refused = await teacher.GotoAsync("/messagerie/regles");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);

        var admin = await browser.SignInAsync("schooladmin.a");
        await admin.GotoAsync("/messagerie/regles");
        await admin.GetByLabel("Les élèves écrivent au personnel (vie scolaire, direction)").UncheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        Assert.Contains("Règles enregistrées.", await admin.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await admin.GetByLabel("Les élèves écrivent au personnel (vie scolaire, direction)").IsCheckedAsync());
        Assert.True(await admin.GetByLabel("Les élèves écrivent à leurs professeurs").IsCheckedAsync());

        using var pupil = await MessagingApiTests.ClientAsync(app, "pupil.a1");
        var forged = await MessagingApiTests.SendAsync(pupil, [$"person:{schools.People["staff.a"]}"]);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await MessagingApiTests.SendAsync(pupil, [$"person:{schools.People["teacher.a1"]}"])).StatusCode);
    }
}
