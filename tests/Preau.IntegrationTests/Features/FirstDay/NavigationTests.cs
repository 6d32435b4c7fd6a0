using System.Net;
using Preau.Data.Directory;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.FirstDay;

/// <summary>The menu each profile gets on every page, the parent's chosen child, the favicon and French forms.</summary>
public sealed class NavigationTests
{
    [Theory]
    [InlineData("pupil.a1", "/fil", new[] { "href=\"/devoirs\"", "href=\"/emploi-du-temps\"", "href=\"/messagerie\"", "href=\"/actualites\"" }, new[] { "/admin/portail" })]
    [InlineData("teacher.a1", "/messagerie", new[] { "href=\"/devoirs\"", "href=\"/emploi-du-temps\"", "href=\"/fil\"" }, new[] { "/admin/portail", "/messagerie/regles\"" })]
    [InlineData("schooladmin.a", "/actualites", new[] { "href=\"/devoirs\"", "href=\"/messagerie/regles\"" }, new[] { "/admin/portail" })]
    [InlineData("regionadmin", "/", new[] { "href=\"/admin/portail\"", "href=\"/statut\"" }, new[] { "href=\"/devoirs\"" })]
    public async Task Menu_EachProfile_OffersItsPagesOnEveryPage(string login, string path, string[] present, string[] absent)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        var menu = html[html.IndexOf("<nav class=\"main-nav\"", StringComparison.Ordinal)..];
        menu = menu[..menu.IndexOf("</nav>", StringComparison.Ordinal)];
        Assert.All(present, p => Assert.Contains(p, menu, StringComparison.Ordinal));
        Assert.All(absent, a => Assert.DoesNotContain(a, menu, StringComparison.Ordinal));
    }

    /// <summary>
    /// Every page of every profile's menu, as a closure morning's crowd opens them: none logs a warning of the
    /// framework's or the database layer's (a warning at each view buries what the person on call must see).
    /// </summary>
    [Theory]
    [InlineData("pupil.a1")]
    [InlineData("parent.a1")]
    [InlineData("teacher.a1")]
    [InlineData("staff.a")]
    [InlineData("schooladmin.a")]
    [InlineData("regionadmin")]
    public async Task MenuPages_EachProfile_NoFrameworkWarningLogged(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        var logs = new LogRecorder();
        await using var app = new PreauAppFactory(db, logs: logs);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, title: "Lire le chapitre 3", due: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1));
        using var client = await SignedInAsync(app, login);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var menu = home[home.IndexOf("<nav class=\"main-nav\"", StringComparison.Ordinal)..];
        menu = menu[..menu.IndexOf("</nav>", StringComparison.Ordinal)];
        var pages = System.Text.RegularExpressions.Regex.Matches(menu, "href=\"(/[^\"]*)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(pages);

        foreach (var page in pages)
        {
            var response = await client.GetAsync(new Uri(System.Net.WebUtility.HtmlDecode(page), UriKind.Relative));
            Assert.True((int)response.StatusCode < 500, $"{page}: {(int)response.StatusCode}");
        }

        // Left out: the first data-protection key's notice (once per start, not per view) and the test host's own
        // lack of a request-body-size feature (Kestrel has it).
        var framework = logs.Warnings
            .Where(w => w.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || w.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
            .Where(w => !w.Category.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)
                && !w.Message.Contains("request body size limit could not be applied", StringComparison.Ordinal))
            .Select(w => $"{w.Category}: {w.Message}").ToList();
        Assert.True(framework.Count == 0, login + ": " + string.Join(" || ", framework));
    }

    [Fact]
    public async Task Menu_ParentChoseChild_ChildKeptOnOtherPages()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var second = schools.People["pupil.a2"];
        await app.WithDbAsync(async c =>
        {
            c.GuardianLinks.Add(new GuardianLink { ParentId = schools.People["parent.a1"], ChildId = second });
            return await c.SaveChangesAsync();
        });
        using var parent = await SignedInAsync(app, "parent.a1");

        await parent.GetStringAsync(new Uri($"/devoirs?eleve={second}", UriKind.Relative));
        var messages = await parent.GetStringAsync(new Uri("/messagerie", UriKind.Relative));
        var timetable = await parent.GetStringAsync(new Uri($"/emploi-du-temps?eleve={second}", UriKind.Relative));

        Assert.Contains($"href=\"/emploi-du-temps?eleve={second}\"", messages, StringComparison.Ordinal);
        Assert.Contains($"href=\"/devoirs?eleve={second}\"", timetable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Favicon_AnyVisitor_ServedAsIcon()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/favicon.ico", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0);
    }

    [Theory]
    [InlineData("31/12/2026", true)]
    [InlineData("2026-12-31", true)]
    [InlineData("31/13/2026", false)]
    public async Task NewHomeworkPage_DateTypedTheFrenchWay_AcceptedOrFrenchMessage(string typed, bool accepted)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await FormPost.SubmitAsync(teacher, "/devoirs/nouveau", new Dictionary<string, string>
        {
            ["Input.ClassSubject"] = $"{schools.Classes["a1"]}:{schools.Subjects["maths"]}",
            ["Input.Type"] = "homework",
            ["Input.Title"] = "Exercices 4 à 9 page 112",
            ["Input.Date"] = typed,
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("is not valid", html, StringComparison.Ordinal);
        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/devoirs?cree=1", response.Headers.Location?.OriginalString);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("31/13/2026", html, StringComparison.Ordinal);
            Assert.Contains("jj/mm/aaaa", html, StringComparison.Ordinal);
        }
    }
}
