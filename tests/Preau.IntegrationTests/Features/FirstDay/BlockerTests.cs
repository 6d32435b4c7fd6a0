using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.FirstDay;

/// <summary>What a newcomer met on the first day: each answered a 500 (issue 10).</summary>
public sealed class BlockerTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task PublishNews_AllPupilsAndAllParentsTogether_CreatedAndBothRead(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");
        var school = schools.Schools["a"];

        var created = await staff.PostJsonAsync("/api/v1/news", new
        {
            title = "Collège fermé jeudi",
            body = "Les cours ont lieu à distance.",
            audience = new[] { $"school:{school}:Pupil", $"school:{school}:Parent" },
            receiptRequired = true,
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var login in new[] { "pupil.a1", "parent.a2" })
        {
            using var reader = await SignedInAsync(app, login);
            var list = await reader.GetFromJsonAsync<JsonElement>("/api/v1/news");
            Assert.Equal("Collège fermé jeudi", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task NewHomeworkPage_NoClassChosen_FormComesBackWithMessageAndTypedText()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await FormPost.SubmitAsync(teacher, "/devoirs/nouveau", new Dictionary<string, string>
        {
            ["Input.ClassSubject"] = "",
            ["Input.Type"] = "homework",
            ["Input.Title"] = "Exercices 4 à 9 page 112",
            ["Input.Body"] = "Rédiger proprement.",
            ["Input.Date"] = "2026-12-01",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Choisissez la classe et la matière.", html, StringComparison.Ordinal);
        Assert.Contains("Exercices 4 à 9 page 112", html, StringComparison.Ordinal);
        Assert.Contains("Rédiger proprement.", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/emploi-du-temps?semaine=0001-01-01")]
    [InlineData("/emploi-du-temps?semaine=9999-12-31")]
    [InlineData("/devoirs?du=9999-12-31")]
    [InlineData("/devoirs?du=0001-01-01")]
    public async Task Page_DateAtCalendarEdge_French400WithMessage(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var response = await pupil.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("La date doit être comprise entre 1900 et 2200.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/timetable?from=9999-12-30&to=9999-12-31")]
    [InlineData("/api/v1/timetable?from=9999-12-31")]
    [InlineData("/api/v1/timetable?from=0001-01-01")]
    [InlineData("/api/v1/homework?from=9999-12-31")]
    [InlineData("/api/v1/homework?from=0001-01-01&to=0001-01-02")]
    public async Task Api_DateAtCalendarEdge_FrenchValidationProblem(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var problem = await (await pupil.GetAsync(path)).AssertProblemAsync(400);

        Assert.Contains("1900 et 2200", problem.GetProperty("errors").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/emploi-du-temps")]
    [InlineData("/devoirs")]
    [InlineData("/")]
    public async Task Page_PostWithoutHandler_Returns405FrenchPage(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var response = await FormPost.SubmitAsync(pupil, path, new Dictionary<string, string> { ["x"] = "1" });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("pas permise ici.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
