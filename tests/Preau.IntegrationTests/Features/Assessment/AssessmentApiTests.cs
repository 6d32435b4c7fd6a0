using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Assessment.AssessmentTestClient;

namespace Preau.IntegrationTests.Features.Assessment;

public sealed class AssessmentApiTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task SaveGrid_TeacherPublishes_PupilAndParentSeeMarkWithClassFigures(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PublishedMarksAsync(app, schools);

        using var pupil = await SignedInAsync(app, "pupil.a1");
        using var parent = await SignedInAsync(app, "parent.a1");
        foreach (var results in new[] { await ResultsAsync(pupil), await ResultsAsync(parent) })
        {
            var subject = Assert.Single(results.GetProperty("subjects").EnumerateArray());
            Assert.Equal("Mathématiques", subject.GetProperty("name").GetString());
            Assert.Equal(12.5m, subject.GetProperty("average").GetDecimal());
            var line = Assert.Single(subject.GetProperty("results").EnumerateArray());
            Assert.Equal(12.5m, line.GetProperty("mark").GetDecimal());
            Assert.Equal("12,5/20", line.GetProperty("display").GetString());
            // Absent is not counted: (12,5 + 8) / 2.
            Assert.Equal(10.25m, line.GetProperty("classAverage").GetDecimal());
            Assert.Equal(8m, line.GetProperty("minimum").GetDecimal());
            Assert.Equal(12.5m, line.GetProperty("maximum").GetDecimal());
            Assert.Equal(12.5m, results.GetProperty("overall").GetDecimal());
        }

        using var absent = await SignedInAsync(app, "pupil.a1c");
        var absentLine = (await ResultsAsync(absent)).GetProperty("subjects")[0].GetProperty("results")[0];
        Assert.Equal("absent", absentLine.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, (await ResultsAsync(absent)).GetProperty("subjects")[0].GetProperty("average").ValueKind);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Results_NotYetPublished_InvisibleToPupilAndParent(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await CreateMarksAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        (await SaveGridAsync(teacher, id, (schools.People["pupil.a1"], null, "15"))).EnsureSuccessStatusCode();
        (await PublishAsync(teacher, id, DateTimeOffset.UtcNow.AddDays(2))).EnsureSuccessStatusCode();

        using var pupil = await SignedInAsync(app, "pupil.a1");
        using var parent = await SignedInAsync(app, "parent.a1");
        Assert.Empty((await ResultsAsync(pupil)).GetProperty("subjects").EnumerateArray());
        Assert.Empty((await ResultsAsync(parent)).GetProperty("subjects").EnumerateArray());
    }

    [Fact]
    public async Task SaveGrid_BadCells_ReturnsFrenchMessagePerCellAndSavesNothing()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await schools.AddPupilAsync(app.Services, "pupil.a1b", "a1");
        var id = await CreateMarksAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await SaveGridAsync(teacher, id, (schools.People["pupil.a1"], null, "25"), (schools.People["pupil.a1b"], null, "douze"),
            (schools.People["pupil.a2"], null, "10"));

        var problem = await response.AssertProblemAsync(400);
        var errors = problem.GetProperty("errors");
        Assert.Contains("entre 0 et 20", errors.GetProperty($"{schools.People["pupil.a1"]:N}")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("n'est pas une note", errors.GetProperty($"{schools.People["pupil.a1b"]:N}")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty($"{schools.People["pupil.a2"]:N}", out _));
        var grid = await teacher.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/assessments/{id}/grid", UriKind.Relative));
        Assert.All(grid.GetProperty("rows").EnumerateArray(), r => Assert.Equal("", r.GetProperty("cells")[0].GetString()));
    }

    /// <summary>Found by a hostile-input sweep of the API: a null among the cells answered 500.</summary>
    [Fact]
    public async Task SaveGrid_NullAmongTheCells_FrenchProblemAndSavesNothing()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await CreateMarksAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        using var body = new StringContent($$"""{"cells":[{"studentId":"{{schools.People["pupil.a1"]}}","value":"12"},null]}""",
            System.Text.Encoding.UTF8, "application/json");

        var response = await teacher.PutAsync(new Uri($"/api/v1/assessments/{id}/grid", UriKind.Relative), body);

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains("vide", problem.GetProperty("errors").GetProperty("cells")[0].GetString(), StringComparison.Ordinal);
        var grid = await teacher.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/assessments/{id}/grid", UriKind.Relative));
        Assert.All(grid.GetProperty("rows").EnumerateArray(), r => Assert.Equal("", r.GetProperty("cells")[0].GetString()));
    }

    [Fact]
    public async Task SaveGrid_SkillsAssessment_LevelsAbsentAndExemptAreValues()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var created = await teacher.PostAsJsonAsync(new Uri("/api/v1/assessments", UriKind.Relative), new
        {
            classId = schools.Classes["a1"], subjectId = schools.Subjects["maths"], title = "Problème ouvert", date = Today, kind = "competences",
            skills = new[] { "Raisonner", "Communiquer" },
        });
        var id = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var assessment = await teacher.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/assessments/{id}", UriKind.Relative));
        var skills = assessment.GetProperty("skills").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToArray();
        var pupil = schools.People["pupil.a1"];

        (await SaveGridAsync(teacher, id, (pupil, skills[0], "3"), (pupil, skills[1], "disp"))).EnsureSuccessStatusCode();
        var bad = await SaveGridAsync(teacher, id, (pupil, skills[0], "5"));
        (await PublishAsync(teacher, id, DateTimeOffset.UtcNow.AddMinutes(-1))).EnsureSuccessStatusCode();

        Assert.Contains("n'est pas un niveau", (await bad.AssertProblemAsync(400)).GetProperty("errors").GetProperty($"{pupil:N}_{skills[0]:N}")[0].GetString(),
            StringComparison.Ordinal);
        using var client = await SignedInAsync(app, "pupil.a1");
        var line = (await ResultsAsync(client)).GetProperty("subjects")[0].GetProperty("results")[0];
        Assert.Equal("Maîtrise satisfaisante", line.GetProperty("skills")[0].GetProperty("level").GetString());
        Assert.Equal("Dispensé", line.GetProperty("skills")[1].GetProperty("level").GetString());
    }

    [Theory]
    [InlineData("Sqlite", "pupil.a1")]
    [InlineData("Sqlite", "parent.a1")]
    [InlineData("Sqlite", "schooladmin.a")]
    [InlineData("Sqlite", "staff.a")]
    [InlineData("Sqlite", "teacher.a2")]
    [InlineData("Sqlite", "teacher.b1")]
    [InlineData("Postgres", "teacher.a2")]
    [InlineData("Postgres", "teacher.b1")]
    public async Task Create_WrongProfileClassOrSchool_Returns403(string provider, string login)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        var response = await client.PostAsJsonAsync(new Uri("/api/v1/assessments", UriKind.Relative), new
        {
            classId = schools.Classes["a1"], subjectId = schools.Subjects["maths"], title = "Intrus", date = Today, kind = "notes", outOf = 20, coefficient = 1,
        });

        await response.AssertProblemAsync(403);
        Assert.Equal(0, await app.WithDbAsync(d => Task.FromResult(d.Assessments.Count())));
    }

    [Fact]
    public async Task Create_SubjectNotTaughtInClass_Returns403()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await teacher.PostAsJsonAsync(new Uri("/api/v1/assessments", UriKind.Relative), new
        {
            classId = schools.Classes["a1"], subjectId = schools.Subjects["francais"], title = "Dictée", date = Today, kind = "notes", outOf = 20, coefficient = 1,
        });

        await response.AssertProblemAsync(403);
    }

    [Fact]
    public async Task Create_InvalidFields_ReturnsFrenchValidationProblem()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await teacher.PostAsJsonAsync(new Uri("/api/v1/assessments", UriKind.Relative), new
        {
            classId = schools.Classes["a1"], subjectId = schools.Subjects["maths"], title = " ", date = Today, kind = "notes", outOf = 0, coefficient = -1,
        });

        var errors = (await response.AssertProblemAsync(400)).GetProperty("errors");
        Assert.Contains("titre", errors.GetProperty("title")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("outOf", out _));
        Assert.True(errors.TryGetProperty("coefficient", out _));
    }

    [Theory]
    [InlineData("teacher.a2", 404)]
    [InlineData("teacher.b1", 404)]
    [InlineData("staff.a", 403)]
    [InlineData("schooladmin.a", 403)]
    [InlineData("pupil.a1", 403)]
    [InlineData("parent.a1", 403)]
    public async Task SaveGridAndPublish_NotTheAssessmentsTeacher_RefusedAndNothingChanges(string login, int status)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await CreateMarksAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        await (await SaveGridAsync(client, id, (schools.People["pupil.a1"], null, "20"))).AssertProblemAsync(status);
        await (await PublishAsync(client, id, DateTimeOffset.UtcNow)).AssertProblemAsync(status);

        Assert.Equal(0, await app.WithDbAsync(d => Task.FromResult(d.AssessmentResults.Count())));
        Assert.Null(await app.WithDbAsync(d => Task.FromResult(d.Assessments.Single().PublishAt)));
    }

    [Theory]
    [InlineData("teacher.a1", 200)]
    [InlineData("staff.a", 200)]
    [InlineData("schooladmin.a", 200)]
    [InlineData("teacher.a2", 404)]
    [InlineData("teacher.b1", 404)]
    [InlineData("staff.b", 404)]
    [InlineData("schooladmin.b", 404)]
    [InlineData("pupil.a1", 403)]
    [InlineData("parent.a1", 403)]
    [InlineData("regionadmin", 403)]
    public async Task ClassTableAndGrid_OnlyTeacherOfClassAndSchoolOffice(string login, int status)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PublishedMarksAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        foreach (var path in new[] { $"/api/v1/classes/{schools.Classes["a1"]}/results", $"/api/v1/assessments/{id}/grid", $"/api/v1/assessments/{id}",
            $"/api/v1/classes/{schools.Classes["a1"]}/results.csv" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(status, (int)response.StatusCode);
        }

        var list = await client.GetAsync(new Uri("/api/v1/assessments", UriKind.Relative));
        if (status == 200)
        {
            Assert.Single((await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        }
        else if (status == 404)
        {
            Assert.Empty((await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        }
    }

    [Theory]
    [InlineData("pupil.a1", "pupil.a2")]
    [InlineData("pupil.a1", "pupil.b1")]
    [InlineData("parent.a2", "pupil.a1")]
    [InlineData("parent.b1", "pupil.a1")]
    public async Task Results_AnotherPupil_Returns403(string login, string other)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PublishedMarksAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        var response = await client.GetAsync(new Uri($"/api/v1/results?studentId={schools.People[other]}", UriKind.Relative));

        await response.AssertProblemAsync(403);
    }

    [Theory]
    [InlineData("teacher.a1")]
    [InlineData("staff.a")]
    [InlineData("schooladmin.a")]
    [InlineData("regionadmin")]
    public async Task Results_NotPupilOrParent_Returns403(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        var response = await client.GetAsync(new Uri($"/api/v1/results?studentId={schools.People["pupil.a1"]}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ExportCsv_SchoolAdmin_SpreadsheetDialectWithAveragesAndNeutralisedFormulas()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PublishedMarksAsync(app, schools);
        await app.WithDbAsync(async d =>
        {
            var pupil = await d.People.FindAsync(schools.People["pupil.a1"]);
            pupil!.LastName = "=1+1";
            return await d.SaveChangesAsync();
        });
        using var head = await SignedInAsync(app, "schooladmin.a");

        var response = await head.GetAsync(new Uri($"/evaluations/classes/{schools.Classes["a1"]}/export", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Élève;", lines[0], StringComparison.Ordinal);
        Assert.Contains("Moyenne Mathématiques", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("\"'=1+1", StringComparison.Ordinal) && l.Contains(";12,5;12,5", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(";abs;", StringComparison.Ordinal));
    }
}
