using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Messaging;

/// <summary>The French pages refuse what the API refuses, with a readable page, never a stack trace.</summary>
public sealed class MessagingPagesTests
{
    [Fact]
    public async Task Pages_SignedOut_RedirectToLogin()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        foreach (var path in new[] { "/messagerie", "/messagerie/ecrire", "/actualites", "/fil" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/connexion", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pages_WrongPersonProfileOrSchool_RefusedInFrench()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        var sent = await MessagingApiTests.SendAsync(teacher, [$"parents:{schools.Classes["a1"]}"]);
        var messageId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var news = await teacher.PostAsJsonAsync(new Uri("/api/v1/news", UriKind.Relative),
            new { title = "Info", body = "Texte", audience = new[] { $"parents:{schools.Classes["a1"]}" }, receiptRequired = true });
        var newsId = (await news.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var otherClassParent = await MessagingApiTests.ClientAsync(app, "parent.a2");
        using var otherSchoolStaff = await MessagingApiTests.ClientAsync(app, "staff.b");
        using var pupil = await MessagingApiTests.ClientAsync(app, "pupil.a1");
        using var parent = await MessagingApiTests.ClientAsync(app, "parent.a1");

        var wrongClass = await otherClassParent.GetAsync(new Uri($"/messagerie/{messageId}", UriKind.Relative));
        var wrongSchool = await otherSchoolStaff.GetAsync(new Uri($"/actualites/{newsId}/lectures", UriKind.Relative));
        var wrongProfile = await parent.GetAsync(new Uri($"/actualites/{newsId}/lectures", UriKind.Relative));
        var pupilPublish = await pupil.GetAsync(new Uri("/actualites/publier", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, wrongClass.StatusCode);
        Assert.Contains("existe pas", await wrongClass.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, wrongSchool.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongProfile.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pupilPublish.StatusCode);
        Assert.DoesNotContain("Exception", await pupilPublish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_ListsOnlyAllowedAndStaysUnder50KB()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var parent = await MessagingApiTests.ClientAsync(app, "parent.a1");

        var html = await parent.GetStringAsync(new Uri("/messagerie/ecrire", UriKind.Relative));

        Assert.Contains($"person:{schools.People["teacher.a1"]}", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"person:{schools.People["teacher.a2"]}", html, StringComparison.Ordinal);
        Assert.DoesNotContain("parents:", html, StringComparison.Ordinal);
        Assert.True(html.Length < 50 * 1024, $"page is {html.Length} bytes");
    }

    [Fact]
    public async Task OpenApi_Document_ListsMessagingNewsAndTimeline()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var doc = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        foreach (var path in new[] { "/api/v1/messages", "/api/v1/messages/{id}/reply", "/api/v1/messages/drafts/{id}", "/api/v1/news/{id}/receipts",
            "/api/v1/timeline", "/api/v1/schools/{schoolId}/communication-rules" })
        {
            Assert.Contains($"\"{path}\"", doc, StringComparison.Ordinal);
        }
    }
}
