using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Preau.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Homework;

public sealed partial class HomeworkPageTests(ITestOutputHelper output)
{
    private static DateOnly Tomorrow => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);

    [Fact]
    public async Task DevoirsPage_PupilOfClass_SeesEntry_OtherClassAndSchoolDoNot()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, title: "Réciter la table de 7", due: Tomorrow);

        using var pupil = await SignedInAsync(app, "pupil.a1");
        var html = await pupil.GetStringAsync(new Uri("/devoirs", UriKind.Relative));
        Assert.Contains("Réciter la table de 7", html, StringComparison.Ordinal);
        Assert.Contains("Marquer comme fait", html, StringComparison.Ordinal);

        foreach (var login in new[] { "pupil.a2", "pupil.b1", "teacher.b1", "schooladmin.b" })
        {
            using var other = await SignedInAsync(app, login);
            var page = await other.GetAsync(new Uri("/devoirs", UriKind.Relative));
            Assert.DoesNotContain("Réciter la table de 7", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NewHomeworkPage_FileWhoseContentDoesNotMatchItsExtension_RefusedAndTypedTextKept()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await FormPost.SubmitWithFileAsync(teacher, "/devoirs/nouveau", null,
        [
            new("Input.ClassSubject", $"{schools.Classes["a1"]}:{schools.Subjects["maths"]}"), new("Input.Type", "homework"),
            new("Input.Title", "Fiche sur les fractions"), new("Input.Body", "Faire les exercices 1 à 4."),
            new("Input.Date", Tomorrow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        ], "Input.File", "fiche.exe", "%PDF-1.4\n%%EOF\n"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("ne correspond pas à son extension", html, StringComparison.Ordinal);
        Assert.Contains("Fiche sur les fractions", html, StringComparison.Ordinal);
        Assert.Contains("Faire les exercices 1 à 4.", html, StringComparison.Ordinal);
        var attachments = Path.Combine(db.DataDirectory, "attachments");
        Assert.Empty(Directory.Exists(attachments) ? Directory.GetFiles(attachments) : []);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Empty(await ListAsync(pupil));
    }

    [Fact]
    public async Task DevoirsPage_PupilTicksThroughTheDoneForm_EntryMarkedDone()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools, due: Tomorrow);
        using var pupil = app.CreateClient(new() { AllowAutoRedirect = false });
        await TestSchools.LoginAsync(pupil, "pupil.a1");

        var response = await FormPost.SubmitAsync(pupil, "/devoirs",
            new Dictionary<string, string> { ["entryId"] = id.ToString(), ["done"] = "true", ["returnUrl"] = "/devoirs" }, handler: "Done");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/devoirs", response.Headers.Location?.OriginalString);
        Assert.True(Assert.Single(await ListAsync(pupil)).GetProperty("done").GetBoolean());
    }

    /// <summary>
    /// The page carries forms, so it is never stored (a shared family phone keeps no copy after sign-out), and
    /// nothing set before the forms makes antiforgery log a warning at every pupil's view: a closure morning's
    /// log stays readable for the person on call.
    /// </summary>
    [Theory]
    [InlineData("pupil.a1")]
    [InlineData("parent.a1")]
    public async Task DevoirsPage_NeverStored_NoWarningLoggedAtEachView(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        var logs = new LogRecorder();
        await using var app = new PreauAppFactory(db, logs: logs);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, title: "Lire le chapitre 3", due: Tomorrow);
        using var client = await SignedInAsync(app, login);

        var first = await client.GetAsync(new Uri("/devoirs", UriKind.Relative));
        using var reload = new HttpRequestMessage(HttpMethod.Get, new Uri("/devoirs", UriKind.Relative));
        reload.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"une-ancienne-version\""));
        var second = await client.SendAsync(reload);

        foreach (var page in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.True(page.Headers.CacheControl?.NoStore, page.Headers.CacheControl?.ToString());
            Assert.Null(page.Headers.ETag);
            Assert.Contains("Lire le chapitre 3", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(logs.Warnings, w => w.Category.StartsWith("Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pupil.a1")]
    [InlineData("parent.a1")]
    [InlineData("schooladmin.a")]
    public async Task NouveauPage_NotATeacher_GetsFrench403(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        var response = await client.GetAsync(new Uri("/devoirs/nouveau", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Vous n'avez pas accès", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModifierPage_OnlyTheAuthorGetsTheForm_OtherTeachersGet404OtherProfiles403()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools, title: "À corriger", due: Tomorrow);
        var url = new Uri($"/devoirs/{id}/modifier", UriKind.Relative);

        using var author = await SignedInAsync(app, "teacher.a1");
        var form = await author.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("value=\"À corriger\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another teacher: the entry is not theirs (404, as if unknown); another profile: the page is for teachers (403).
        foreach (var (login, expected) in new[] { ("teacher.a2", HttpStatusCode.NotFound), ("teacher.b1", HttpStatusCode.NotFound),
            ("schooladmin.a", HttpStatusCode.Forbidden), ("pupil.a1", HttpStatusCode.Forbidden) })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(expected, (await other.GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task DevoirsPage_Anonymous_RedirectsToLogin()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/devoirs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    /// <summary>
    /// The page budget: dashboard and homework list each at most 50 KB transferred (HTML + CSS,
    /// Brotli) for a pupil with a realistic week: 6 subjects, 20 entries, attachments and ticks.
    /// </summary>
    [Fact]
    public async Task Pages_PupilWithRealisticWeek_StayUnder50KBCompressed()
    {
        await using var db = TestDatabase.Create("Sqlite");
        // Tests run from the build output, where static assets are served in development mode
        // (no-cache) unless asked otherwise; a published app always sends the real headers.
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["EnableStaticAssetsDevelopmentCaching"] = "true" });
        var schools = await TestSchools.SeedAsync(app.Services);
        var body = "Relire la leçon **chapitre 4** puis faire :\n\n- l'exercice 12 page 87\n- l'exercice 15 page 88\n\nRendre sur feuille double, *soigner la présentation*. Voir https://example.org/ressource";
        for (var i = 0; i < 20; i++)
        {
            await PostAsync(app, schools, title: $"Travail n°{i} : exercices et leçon à apprendre", body: body, due: Tomorrow.AddDays(i % 6));
        }

        using var pupil = await SignedInAsync(app, "pupil.a1");
        foreach (var path in new[] { "/", "/devoirs" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            var response = await pupil.SendAsync(request);
            Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
            var html = (await response.Content.ReadAsByteArrayAsync()).Length;
            var raw = await pupil.GetStringAsync(new Uri(path, UriKind.Relative));
            Assert.True(TravailRegex().Count(raw) >= 20);
            var css = CssRegex().Match(raw).Groups[1].Value;
            using var cssRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(css, UriKind.Relative));
            cssRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            var cssResponse = await pupil.SendAsync(cssRequest);
            output.WriteLine($"CSS {css}");
            Assert.Contains("immutable", cssResponse.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            var cssBytes = (await cssResponse.Content.ReadAsByteArrayAsync()).Length;
            output.WriteLine($"PAGEWEIGHT {path}: html {html} B (raw {System.Text.Encoding.UTF8.GetByteCount(raw)} B) + css {cssBytes} B = {html + cssBytes} B");
            Assert.True(html + cssBytes <= 50 * 1024, $"{path}: {html + cssBytes} bytes");
        }
    }

    [GeneratedRegex("Travail n°")]
    private static partial Regex TravailRegex();

    [GeneratedRegex("href=\"(/css/site[^\"]*)\"")]
    private static partial Regex CssRegex();
}
