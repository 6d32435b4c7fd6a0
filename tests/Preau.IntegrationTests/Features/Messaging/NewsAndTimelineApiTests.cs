using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Messaging;

public sealed class NewsAndTimelineApiTests
{
    private static readonly Uri s_news = new("/api/v1/news", UriKind.Relative);

    private static Task<HttpResponseMessage> PublishAsync(HttpClient client, string[] audience, bool receipt = true, DateTimeOffset? from = null) =>
        client.PostAsJsonAsync(s_news, new { title = "Fermeture exceptionnelle", body = "Le collège sera fermé **lundi**.", audience, receiptRequired = receipt, visibleFrom = from });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task News_ParentsOfClassWithReceipt_AuthorSeesWhoReadAndWhoNot(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var staff = await MessagingApiTests.ClientAsync(app, "staff.a");
        using var parentA1 = await MessagingApiTests.ClientAsync(app, "parent.a1");
        using var parentB1 = await MessagingApiTests.ClientAsync(app, "parent.b1");
        using var staffB = await MessagingApiTests.ClientAsync(app, "staff.b");
        using var teacherA2 = await MessagingApiTests.ClientAsync(app, "teacher.a2");

        var created = await PublishAsync(staff, [$"school:{schools.Schools["a"]}:Parent"]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var list = await parentA1.GetFromJsonAsync<JsonElement>("/api/v1/news");
        Assert.False(Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("isRead").GetBoolean());
        var read = await parentA1.GetFromJsonAsync<JsonElement>($"/api/v1/news/{id}");
        Assert.Contains("<strong>lundi</strong>", read.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);

        var report = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/news/{id}/receipts");
        Assert.Equal(1, report.GetProperty("readCount").GetInt32());
        Assert.Equal(2, report.GetProperty("total").GetInt32());
        var lines = report.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(schools.People["parent.a2"], lines[0].GetProperty("personId").GetGuid());
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("readAt").ValueKind);
        Assert.Equal(schools.People["parent.a1"], lines[1].GetProperty("personId").GetGuid());
        Assert.NotEqual(JsonValueKind.Null, lines[1].GetProperty("readAt").ValueKind);

        // Other school and other audience: neither sees it; receipts are for the author and the school's staff.
        Assert.Equal(HttpStatusCode.NotFound, (await parentB1.GetAsync(new Uri($"/api/v1/news/{id}", UriKind.Relative))).StatusCode);
        Assert.Empty((await parentB1.GetFromJsonAsync<JsonElement>("/api/v1/news")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await staffB.GetAsync(new Uri($"/api/v1/news/{id}/receipts", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await parentA1.GetAsync(new Uri($"/api/v1/news/{id}/receipts", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacherA2.GetAsync(new Uri($"/api/v1/news/{id}", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("Sqlite", "pupil.a1", "parents", "a1")]    // wrong profile
    [InlineData("Sqlite", "parent.a1", "parents", "a1")]   // wrong profile
    [InlineData("Sqlite", "teacher.a1", "parents", "a2")]  // wrong class
    [InlineData("Sqlite", "teacher.a1", "school", "a")]    // wrong profile for a whole school
    [InlineData("Sqlite", "staff.a", "pupils", "b1")]      // wrong school
    [InlineData("Postgres", "teacher.a1", "parents", "b1")]
    public async Task News_AudienceOutsideRules_Returns403(string provider, string author, string kind, string target)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await MessagingApiTests.ClientAsync(app, author);
        var token = kind == "school" ? $"school:{schools.Schools[target]}:Parent" : $"{kind}:{schools.Classes[target]}";

        var response = await PublishAsync(client, [token]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task News_ScheduledLater_HiddenFromReadersUntilItsWindow(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        using var pupil = await MessagingApiTests.ClientAsync(app, "pupil.a1");

        var created = await PublishAsync(teacher, [$"pupils:{schools.Classes["a1"]}"], from: DateTimeOffset.UtcNow.AddDays(2));
        var bad = await teacher.PostAsJsonAsync(s_news, new { title = "", body = "", audience = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Empty((await pupil.GetFromJsonAsync<JsonElement>("/api/v1/news")).GetProperty("items").EnumerateArray());
        Assert.Empty((await pupil.GetFromJsonAsync<JsonElement>("/api/v1/timeline")).GetProperty("items").EnumerateArray());
        Assert.Single((await teacher.GetFromJsonAsync<JsonElement>("/api/v1/news")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Timeline_MessageAndNewsForParent_ShownNewUntilSeen(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        using var parent = await MessagingApiTests.ClientAsync(app, "parent.a1");
        using var otherParent = await MessagingApiTests.ClientAsync(app, "parent.a2");
        await MessagingApiTests.SendAsync(teacher, [$"parents:{schools.Classes["a1"]}"]);
        await PublishAsync(teacher, [$"parents:{schools.Classes["a1"]}"]);

        var feed = await parent.GetFromJsonAsync<JsonElement>("/api/v1/timeline");
        Assert.Equal(2, feed.GetProperty("newCount").GetInt32());
        Assert.Equal(new[] { "actualite", "message" }, feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).Order().ToArray());
        Assert.All(feed.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("isNew").GetBoolean()));
        Assert.Empty((await otherParent.GetFromJsonAsync<JsonElement>("/api/v1/timeline")).GetProperty("items").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await parent.PostAsync(new Uri("/api/v1/timeline/seen", UriKind.Relative), null)).StatusCode);
        var after = await parent.GetFromJsonAsync<JsonElement>("/api/v1/timeline");
        Assert.Equal(0, after.GetProperty("newCount").GetInt32());
        Assert.Equal(2, after.GetProperty("items").GetArrayLength());
    }
}
