using System.Net;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Assessment.AssessmentTestClient;

namespace Preau.IntegrationTests.Features.Assessment;

public sealed class AssessmentPageTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task PostGrid_OneBadCell_WholeGridComesBackAsTypedAndNothingSaved(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await schools.AddPupilAsync(app.Services, "pupil.a1b", "a1");
        var id = await CreateMarksAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var good = $"Cells[{schools.People["pupil.a1"]:N}]";
        var bad = $"Cells[{schools.People["pupil.a1b"]:N}]";

        var response = await FormPost.SubmitAsync(teacher, $"/evaluations/{id}",
            new Dictionary<string, string> { [good] = "14,5", [bad] = "quinze", ["Publication"] = "maintenant" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("value=\"14,5\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"quinze\"", html, StringComparison.Ordinal);
        Assert.Contains("n&#x27;est pas une note", html, StringComparison.Ordinal);
        Assert.Contains("Rien n'a été enregistré", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => Task.FromResult(d.AssessmentResults.Count())));
        Assert.Null(await app.WithDbAsync(d => Task.FromResult(d.Assessments.Single().PublishAt)));
    }

    [Fact]
    public async Task PostGrid_ValidAndPublishNow_ParentPageShowsMarkAndClassAverage()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await schools.AddPupilAsync(app.Services, "pupil.a1b", "a1");
        var id = await CreateMarksAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await FormPost.SubmitAsync(teacher, $"/evaluations/{id}", new Dictionary<string, string>
        {
            [$"Cells[{schools.People["pupil.a1"]:N}]"] = "14,5",
            [$"Cells[{schools.People["pupil.a1b"]:N}]"] = "9.5",
            ["Publication"] = "maintenant",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var parent = await SignedInAsync(app, "parent.a1");
        var page = await parent.GetStringAsync(new Uri("/notes", UriKind.Relative));
        Assert.Contains("14,5/20", page, StringComparison.Ordinal);
        Assert.Contains("moyenne 12", page, StringComparison.Ordinal);
        Assert.Contains("min. 9,5", page, StringComparison.Ordinal);
        Assert.Contains("max. 14,5", page, StringComparison.Ordinal);
        Assert.Contains("Moyenne générale\u202F: 14,5/20", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("teacher.a2", HttpStatusCode.NotFound)]
    [InlineData("teacher.b1", HttpStatusCode.NotFound)]
    [InlineData("staff.b", HttpStatusCode.NotFound)]
    [InlineData("pupil.a1", HttpStatusCode.Forbidden)]
    [InlineData("parent.a1", HttpStatusCode.Forbidden)]
    [InlineData("regionadmin", HttpStatusCode.Forbidden)]
    public async Task GridAndClassPages_OutsideTheirClassOrSchool_Refused(string login, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await CreateMarksAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        foreach (var path in new[] { $"/evaluations/{id}", $"/evaluations/classes/{schools.Classes["a1"]}", $"/evaluations/classes/{schools.Classes["a1"]}/export" })
        {
            Assert.Equal(expected, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task PostGrid_StaffOfSchool_ReadsButCannotWrite()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await CreateMarksAsync(app, schools);
        using var staff = await SignedInAsync(app, "staff.a");

        var page = await staff.GetStringAsync(new Uri($"/evaluations/{id}", UriKind.Relative));
        var response = await FormPost.SubmitAsync(staff, $"/evaluations/{id}",
            new Dictionary<string, string> { [$"Cells[{schools.People["pupil.a1"]:N}]"] = "20" });

        Assert.DoesNotContain("Enregistrer la grille", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => Task.FromResult(d.AssessmentResults.Count())));
    }

    [Fact]
    public async Task NewAssessment_BadCoefficient_FormComesBackAsTyped()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await FormPost.SubmitAsync(teacher, "/evaluations/nouvelle", new Dictionary<string, string>
        {
            ["Input.ClassSubject"] = $"{schools.Classes["a1"]}:{schools.Subjects["maths"]}",
            ["Input.Title"] = "Devoir surveillé n°2",
            ["Input.Date"] = Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Kind"] = "notes",
            ["Input.OutOf"] = "20",
            ["Input.Coefficient"] = "deux",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Devoir surveillé n°2", html, StringComparison.Ordinal);
        Assert.Contains("value=\"deux\"", html, StringComparison.Ordinal);
        Assert.Contains("Le coefficient doit être compris", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchoolTermsPage_HeadChoosesSemesters_ResultsUseThem()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PublishedMarksAsync(app, schools);
        using var head = await SignedInAsync(app, "schooladmin.a");
        var year = Today.Month >= 9 ? Today.Year : Today.Year - 1;

        var bad = await FormPost.SubmitAsync(head, "/etablissement/periodes",
            new Dictionary<string, string> { ["Kind"] = "semestres", ["End1"] = $"{year + 3}-01-31" });
        var response = await FormPost.SubmitAsync(head, "/etablissement/periodes",
            new Dictionary<string, string> { ["Kind"] = "semestres", ["End1"] = $"{year + 1}-01-31" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("doit tomber entre", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var results = await ResultsAsync(pupil);
        Assert.Equal(2, results.GetProperty("terms").GetArrayLength());
        Assert.Contains("semestre", results.GetProperty("term").GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Single(results.GetProperty("subjects").EnumerateArray());
    }

    [Theory]
    [InlineData("staff.a")]
    [InlineData("teacher.a1")]
    [InlineData("schooladmin.b")]
    public async Task SchoolTermsPage_NotTheHead_CannotChangeSchoolA(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);
        var year = Today.Month >= 9 ? Today.Year : Today.Year - 1;

        var page = await client.GetAsync(new Uri("/etablissement/periodes", UriKind.Relative));
        if (login != "schooladmin.b")
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        }
        else
        {
            // Another school's head configures their own school only.
            await FormPost.SubmitAsync(client, "/etablissement/periodes",
                new Dictionary<string, string> { ["Kind"] = "semestres", ["End1"] = $"{year + 1}-01-31" });
        }

        Assert.Equal(0, await app.WithDbAsync(d => Task.FromResult(d.SchoolTerms.Count(t => t.SchoolId == schools.Schools["a"]))));
    }

    [Fact]
    public async Task GridPage_ClassOfThirtyWithErrors_UnderTheFiftyKilobyteBudget()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        for (var i = 2; i <= 30; i++)
        {
            await schools.AddPupilAsync(app.Services, $"pupil.a1n{i}", "a1");
        }

        var id = await CreateMarksAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var pupils = await app.WithDbAsync(d => Task.FromResult(d.GroupMemberships.Where(m => m.GroupId == schools.Classes["a1"]).Select(m => m.PupilId).ToList()));
        var fields = pupils.ToDictionary(p => $"Cells[{p:N}]", p => "pas une note");

        var response = await FormPost.SubmitAsync(teacher, $"/evaluations/{id}", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
        Assert.True(bytes < 50 * 1024, $"{bytes} bytes");
    }
}
