using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Homework;

public sealed class HomeworkApiTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Create_TeacherOfClass_Returns201AndPupilOfClassSeesIt(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);

        var id = await PostAsync(app, schools);

        using var pupil = await SignedInAsync(app, "pupil.a1");
        var items = await ListAsync(pupil);
        var item = Assert.Single(items);
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.Equal("Exercices 3 et 4 page 52", item.GetProperty("title").GetString());
        Assert.Equal("Mathématiques", item.GetProperty("subjectName").GetString());
        Assert.Equal(30, item.GetProperty("estimatedMinutes").GetInt32());
        Assert.Contains("<strong>les deux</strong>", item.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.False(item.GetProperty("done").GetBoolean());
    }

    [Theory]
    [InlineData("Sqlite", "pupil.a1", HttpStatusCode.Forbidden)]
    [InlineData("Sqlite", "parent.a1", HttpStatusCode.Forbidden)]
    [InlineData("Sqlite", "schooladmin.a", HttpStatusCode.Forbidden)]
    [InlineData("Sqlite", "teacher.a2", HttpStatusCode.Forbidden)]
    [InlineData("Sqlite", "teacher.b1", HttpStatusCode.Forbidden)]
    [InlineData("Postgres", "teacher.a2", HttpStatusCode.Forbidden)]
    [InlineData("Postgres", "teacher.b1", HttpStatusCode.Forbidden)]
    public async Task Create_WrongProfileClassOrSchool_Returns403AndWritesNothing(string provider, string login, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        var response = await client.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative),
            new { title = "Intrus", body = "", subjectId = schools.Subjects["maths"], dueDate = Due, estimatedMinutes = 10 });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Empty(await ListAsync(pupil));
    }

    [Fact]
    public async Task Create_TeacherWithSubjectNotTaught_Returns403()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await teacher.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative),
            new { title = "Dictée", subjectId = schools.Subjects["francais"], dueDate = Due });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Create_InvalidFields_ReturnsValidationProblemInFrench()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await teacher.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative),
            new { title = "  ", subjectId = schools.Subjects["maths"], dueDate = Due, estimatedMinutes = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("titre", errors.GetProperty("title")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("estimatedMinutes", out _));
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400ProblemNotStackTrace()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        using var content = new StringContent("{\"title\": \"x\", \"dueDate\": \"pas une date\"", System.Text.Encoding.UTF8, "application/json");
        var response = await teacher.PostAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task List_PupilOrTeacherOfOtherClassOrSchool_DoesNotSeeEntry(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);

        foreach (var login in new[] { "pupil.a2", "pupil.b1", "teacher.a2", "teacher.b1", "parent.a2", "staff.b", "schooladmin.b" })
        {
            using var client = await SignedInAsync(app, login);
            Assert.Empty(await ListAsync(client, login.StartsWith("parent", StringComparison.Ordinal) ? $"&studentId={schools.People["pupil.a2"]}" : ""));
            var single = await client.GetAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, single.StatusCode);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task List_StaffAndSchoolAdminOfSchool_SeeEveryClass(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, "teacher.a1", "a1");
        await PostAsync(app, schools, "teacher.a2", "a2");

        foreach (var login in new[] { "staff.a", "schooladmin.a" })
        {
            using var client = await SignedInAsync(app, login);
            Assert.Equal(2, (await ListAsync(client)).Length);
        }
    }

    [Fact]
    public async Task List_RegionAdminOrAnonymous_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);

        using var admin = await SignedInAsync(app, "regionadmin");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(ListUri())).StatusCode);
        using var anonymous = app.CreateClient();
        var response = await anonymous.GetAsync(ListUri());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("2026-12-10", "2026-12-01")]
    [InlineData("2026-01-01", "2026-12-31")]
    public async Task List_BadRange_ReturnsValidationProblem(string from, string to)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var response = await pupil.GetAsync(new Uri($"/api/v1/homework?from={from}&to={to}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Done_PupilTicksThenParentSeesIt_AndUntickClearsIt(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        using var parent = await SignedInAsync(app, "parent.a1");

        Assert.Equal(HttpStatusCode.NoContent, (await pupil.PostAsync(new Uri($"/api/v1/homework/{id}/done", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await pupil.PostAsync(new Uri($"/api/v1/homework/{id}/done", UriKind.Relative), null)).StatusCode);
        Assert.True(Assert.Single(await ListAsync(pupil)).GetProperty("done").GetBoolean());
        Assert.True(Assert.Single(await ListAsync(parent, $"&studentId={schools.People["pupil.a1"]}")).GetProperty("done").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await pupil.DeleteAsync(new Uri($"/api/v1/homework/{id}/done", UriKind.Relative))).StatusCode);
        Assert.False(Assert.Single(await ListAsync(parent, $"&studentId={schools.People["pupil.a1"]}")).GetProperty("done").GetBoolean());
    }

    [Theory]
    [InlineData("pupil.a2", HttpStatusCode.NotFound)]
    [InlineData("pupil.b1", HttpStatusCode.NotFound)]
    [InlineData("parent.a1", HttpStatusCode.Forbidden)]
    [InlineData("teacher.a1", HttpStatusCode.Forbidden)]
    public async Task Done_NotAPupilOfTheClass_Refused(string login, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        var response = await client.PostAsync(new Uri($"/api/v1/homework/{id}/done", UriKind.Relative), null);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task List_ParentWithOtherChildId_Returns403(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools);
        using var parent = await SignedInAsync(app, "parent.a2");

        var response = await parent.GetAsync(ListUri(null, $"&studentId={schools.People["pupil.a1"]}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task UpdateAndDelete_OnlyTheAuthor_OthersGet404(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        var change = new { title = "Modifié", body = "", subjectId = schools.Subjects["maths"], dueDate = Due, estimatedMinutes = 15 };

        foreach (var login in new[] { "teacher.a2", "teacher.b1" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative), change)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative))).StatusCode);
        }

        using var admin = await SignedInAsync(app, "schooladmin.a");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.DeleteAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative))).StatusCode);

        using var author = await SignedInAsync(app, "teacher.a1");
        Assert.Equal(HttpStatusCode.NoContent, (await author.PutAsJsonAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative), change)).StatusCode);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Equal("Modifié", Assert.Single(await ListAsync(pupil)).GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await author.DeleteAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative))).StatusCode);
        Assert.Empty(await ListAsync(pupil));
    }

    [Fact]
    public async Task Create_BodyWithScript_IsRenderedWithoutScriptOrJavascriptLinks()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, body:
            "<script>alert(1)</script>\n\n[clic](javascript:alert(2)) <img src=x onerror=alert(3)> **gras** [site](https://example.org)");
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var html = Assert.Single(await ListAsync(pupil)).GetProperty("bodyHtml").GetString()!;

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<strong>gras</strong>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesHomeworkEndpoints()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var doc = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/homework", out var list));
        Assert.Equal("ListHomework", list.GetProperty("get").GetProperty("operationId").GetString());
        Assert.True(paths.TryGetProperty("/api/v1/classes/{classId}/homework", out _));
        Assert.True(paths.TryGetProperty("/api/v1/homework/{id}/done", out _));
        Assert.True(paths.TryGetProperty("/api/v1/timetable", out _));
        Assert.True(paths.TryGetProperty("/api/v1/hello", out _));
        Assert.True(list.GetProperty("get").GetProperty("responses").TryGetProperty("200", out _));
    }
}
