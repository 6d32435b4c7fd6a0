using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Features.Messaging;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Text;

/// <summary>Homework, messages and news render typed text through the same policy: HTML typed is shown, not run nor dropped.</summary>
public sealed class TypedHtmlTests
{
    private const string Typed = "Apportez <b>la blouse</b> <script>alert(1)</script> et **le cahier**.";

    private static void AssertShownEscaped(string? html)
    {
        Assert.NotNull(html);
        Assert.Contains("&lt;b&gt;la blouse&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<strong>le cahier</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BodyHtml_RawHtmlTypedInHomeworkMessageAndNews_ShownEscapedEverywhere()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, body: Typed);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        using var parent = await MessagingApiTests.ClientAsync(app, "parent.a1");
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var audience = $"parents:{schools.Classes["a1"]}";

        var sent = await MessagingApiTests.SendAsync(teacher, [audience], body: Typed);
        var messageId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var news = await teacher.PostAsJsonAsync(new Uri("/api/v1/news", UriKind.Relative),
            new { title = "Sortie", body = Typed, audience = new[] { audience }, receiptRequired = false });
        var newsId = (await news.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        AssertShownEscaped(Assert.Single(await ListAsync(pupil)).GetProperty("bodyHtml").GetString());
        AssertShownEscaped((await parent.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{messageId}")).GetProperty("bodyHtml").GetString());
        AssertShownEscaped((await parent.GetFromJsonAsync<JsonElement>($"/api/v1/news/{newsId}")).GetProperty("bodyHtml").GetString());
    }
}
