using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Homework;

public sealed class HomeworkTimelineTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task PostHomework_ClassAndItsParentsSeeItInTheirTimeline_OtherClassDoesNot(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);

        await HomeworkTestClient.PostAsync(app, schools, title: "Exercice 12 page 80");

        foreach (var login in new[] { "pupil.a1", "parent.a1" })
        {
            using var reader = await HomeworkTestClient.SignedInAsync(app, login);
            var feed = await reader.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/timeline", UriKind.Relative));
            var item = Assert.Single(feed.GetProperty("items").EnumerateArray());
            Assert.Equal("devoir", item.GetProperty("kind").GetString());
            Assert.Contains("Exercice 12 page 80", item.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.True(item.GetProperty("isNew").GetBoolean());
        }

        foreach (var login in new[] { "pupil.a2", "parent.a2", "pupil.b1" })
        {
            using var other = await HomeworkTestClient.SignedInAsync(app, login);
            var feed = await other.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/timeline", UriKind.Relative));
            Assert.Empty(feed.GetProperty("items").EnumerateArray());
        }
    }
}
