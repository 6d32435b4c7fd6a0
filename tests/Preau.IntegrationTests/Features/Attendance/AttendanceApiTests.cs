using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Attendance.AttendanceTestData;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Attendance;

public sealed class AttendanceApiTests
{
    private static async Task<JsonElement> JsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> PutRegisterAsync(HttpClient client, Guid lessonId, Guid[] absent, Guid[] late) =>
        client.PutAsJsonAsync(new Uri(RegisterApi(lessonId), UriKind.Relative), new { absent, late });

    private static async Task<string[]> TimelineTitlesAsync(HttpClient client) =>
        [.. (await JsonAsync(client, "/api/v1/timeline")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];

    private static async Task<Guid> MarkIdAsync(HttpClient reader, Guid pupilId) =>
        (await JsonAsync(reader, $"/api/v1/attendance/pupils/{pupilId}")).GetProperty("marks")[0].GetProperty("id").GetGuid();

    /// <summary>pupil.a1 absent at today's lesson; the absence's id.</summary>
    private static async Task<Guid> SeedAbsenceAsync(PreauAppFactory app, TestSchools schools)
    {
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        (await PutRegisterAsync(teacher, lesson, [schools.People["pupil.a1"]], [])).EnsureSuccessStatusCode();
        using var staff = await SignedInAsync(app, "staff.a");
        return await MarkIdAsync(staff, schools.People["pupil.a1"]);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task SaveRegister_TeacherMarksAbsentAndLate_ParentToldStaffSeesDayCountsPerTerm(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        var (pupil, other) = (schools.People["pupil.a1"], schools.People["pupil.a1b"]);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var lessons = await JsonAsync(teacher, "/api/v1/attendance/lessons");
        Assert.False(lessons[0].GetProperty("taken").GetBoolean());
        var before = await JsonAsync(teacher, RegisterApi(lesson));
        Assert.All(before.GetProperty("pupils").EnumerateArray(), p => Assert.Equal("present", p.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await PutRegisterAsync(teacher, lesson, [pupil], [other])).StatusCode);

        var after = (await JsonAsync(teacher, RegisterApi(lesson))).GetProperty("pupils").EnumerateArray()
            .ToDictionary(p => p.GetProperty("pupilId").GetGuid(), p => p.GetProperty("status").GetString());
        Assert.Equal("absent", after[pupil]);
        Assert.Equal("late", after[other]);
        using var parent = await SignedInAsync(app, "parent.a1");
        Assert.Contains(await TimelineTitlesAsync(parent), t => t.StartsWith("Absence de pupil en Mathématiques", StringComparison.Ordinal));
        using var staff = await SignedInAsync(app, "staff.a");
        var day = (await JsonAsync(staff, "/api/v1/attendance/day")).GetProperty("items");
        Assert.Equal(2, day.GetArrayLength());
        using var self = await SignedInAsync(app, "pupil.a1");
        var record = await JsonAsync(self, $"/api/v1/attendance/pupils/{pupil}");
        var term = record.GetProperty("terms").EnumerateArray().Single(t =>
            DateOnly.Parse(t.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= Today
            && Today <= DateOnly.Parse(t.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, term.GetProperty("absences").GetInt32());
        Assert.Equal(1, term.GetProperty("unjustified").GetInt32());
        Assert.Equal(0, term.GetProperty("late").GetInt32());
    }

    [Fact]
    public async Task SaveRegister_TwoSavesAtOnce_BothSavedAsOneRegister()
    {
        await using var db = TestDatabase.Create("Postgres");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var phone = await SignedInAsync(app, "teacher.a1");
        using var laptop = await SignedInAsync(app, "teacher.a1");

        for (var round = 0; round < 15; round++) // each round races the creation of a register not taken yet
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var context = scope.ServiceProvider.GetRequiredService<Preau.Data.PreauDbContext>();
                await context.AttendanceRegisters.Where(r => r.LessonId == lesson).ExecuteDeleteAsync();
            }

            var answers = await Task.WhenAll(PutRegisterAsync(phone, lesson, [], []), PutRegisterAsync(laptop, lesson, [], []));

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.StatusCode));
            await using var check = app.Services.CreateAsyncScope();
            Assert.Equal(1, await check.ServiceProvider.GetRequiredService<Preau.Data.PreauDbContext>().AttendanceRegisters.CountAsync(r => r.LessonId == lesson));
        }
    }

    [Fact]
    public async Task SaveRegister_CorrectedSameDay_ToldOnceAndPresentClearsTheMark()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        var pupil = schools.People["pupil.a1"];
        using var teacher = await SignedInAsync(app, "teacher.a1");

        await PutRegisterAsync(teacher, lesson, [pupil], []);
        await PutRegisterAsync(teacher, lesson, [pupil], []);
        using var parent = await SignedInAsync(app, "parent.a1");
        Assert.Single(await TimelineTitlesAsync(parent), t => t.StartsWith("Absence", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, (await PutRegisterAsync(teacher, lesson, [], [])).StatusCode);

        Assert.Equal(0, (await JsonAsync(parent, $"/api/v1/attendance/pupils/{pupil}")).GetProperty("marks").GetArrayLength());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Justify_ParentThenStaffAccepts_JustifiedInCountsAndParentTold(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        var pupil = schools.People["pupil.a1"];
        using var teacher = await SignedInAsync(app, "teacher.a1");
        await PutRegisterAsync(teacher, lesson, [pupil], []);
        using var parent = await SignedInAsync(app, "parent.a1");
        var mark = await MarkIdAsync(parent, pupil);

        var justified = await parent.PostJsonAsync($"/api/v1/attendance/marks/{mark}/justification", new { reason = "illness", comment = "Fièvre" });
        Assert.Equal(HttpStatusCode.NoContent, justified.StatusCode);
        using var staff = await SignedInAsync(app, "staff.a");
        var pending = (await JsonAsync(staff, "/api/v1/attendance/pending")).GetProperty("items");
        Assert.Equal("illness", pending[0].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostJsonAsync($"/api/v1/attendance/marks/{mark}/decision", new { accepted = true })).StatusCode);

        var record = await JsonAsync(parent, $"/api/v1/attendance/pupils/{pupil}");
        Assert.Equal("accepted", record.GetProperty("marks")[0].GetProperty("decision").GetString());
        Assert.Equal(1, record.GetProperty("terms").EnumerateArray().Sum(t => t.GetProperty("justified").GetInt32()));
        Assert.Contains(await TimelineTitlesAsync(parent), t => t.StartsWith("Justificatif accepté", StringComparison.Ordinal));
        await (await staff.PostJsonAsync($"/api/v1/attendance/marks/{mark}/decision", new { accepted = false, comment = "Non" })).AssertProblemAsync(409);
        await (await parent.PostJsonAsync($"/api/v1/attendance/marks/{mark}/justification", new { reason = "other" })).AssertProblemAsync(409);
    }

    [Fact]
    public async Task DecideAndJustify_BadInput_FrenchValidationProblem()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var wrongClass = await PutRegisterAsync(teacher, lesson, [schools.People["pupil.a2"]], []);
        Assert.Contains("pas dans cette classe", (await wrongClass.AssertProblemAsync(400)).GetRawText(), StringComparison.Ordinal);
        var both = await PutRegisterAsync(teacher, lesson, [schools.People["pupil.a1"]], [schools.People["pupil.a1"]]);
        await both.AssertProblemAsync(400);
        await PutRegisterAsync(teacher, lesson, [schools.People["pupil.a1"]], []);
        using var parent = await SignedInAsync(app, "parent.a1");
        var mark = await MarkIdAsync(parent, schools.People["pupil.a1"]);

        var noReason = await parent.PostJsonAsync($"/api/v1/attendance/marks/{mark}/justification", new { reason = "vacances" });
        Assert.Contains("motif", (await noReason.AssertProblemAsync(400)).GetRawText(), StringComparison.Ordinal);
        await parent.PostJsonAsync($"/api/v1/attendance/marks/{mark}/justification", new { reason = "family" });
        using var staff = await SignedInAsync(app, "staff.a");
        var refusal = await staff.PostJsonAsync($"/api/v1/attendance/marks/{mark}/decision", new { accepted = false });
        Assert.Contains("raison du refus", (await refusal.AssertProblemAsync(400)).GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("teacher.a2", 404)]
    [InlineData("teacher.b1", 404)]
    [InlineData("pupil.a1", 403)]
    [InlineData("parent.a1", 403)]
    [InlineData("staff.a", 403)]
    [InlineData("schooladmin.a", 403)]
    [InlineData("regionadmin", 403)]
    public async Task Register_NotTheTeacherOfTheLesson_Refused(string login, int expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        Assert.Equal(expected, (int)(await client.GetAsync(new Uri(RegisterApi(lesson), UriKind.Relative))).StatusCode);
        Assert.Equal(expected, (int)(await PutRegisterAsync(client, lesson, [schools.People["pupil.a1"]], [])).StatusCode);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        Assert.Equal("present", (await JsonAsync(teacher, RegisterApi(lesson))).GetProperty("pupils")[0].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("pupil.a1", 200)]
    [InlineData("parent.a1", 200)]
    [InlineData("staff.a", 200)]
    [InlineData("schooladmin.a", 200)]
    [InlineData("pupil.a2", 404)]
    [InlineData("parent.a2", 404)]
    [InlineData("parent.b1", 404)]
    [InlineData("staff.b", 404)]
    [InlineData("schooladmin.b", 404)]
    [InlineData("teacher.a1", 403)]
    [InlineData("regionadmin", 403)]
    public async Task PupilAttendanceAndDocument_OnlyThePupilTheirParentsAndTheirSchoolOffice(string login, int expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        await PutRegisterAsync(teacher, lesson, [schools.People["pupil.a1"]], []);
        using var client = await SignedInAsync(app, login);

        var response = await client.GetAsync(new Uri($"/api/v1/attendance/pupils/{schools.People["pupil.a1"]}", UriKind.Relative));

        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("parent.a2", 404)]
    [InlineData("parent.b1", 404)]
    [InlineData("pupil.a1", 403)]
    [InlineData("teacher.a1", 403)]
    [InlineData("staff.a", 403)]
    public async Task Justify_NotAGuardianOfThePupil_Refused(string login, int expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var mark = await SeedAbsenceAsync(app, schools);
        using var staff = await SignedInAsync(app, "staff.a");
        using var client = await SignedInAsync(app, login);

        var response = await client.PostJsonAsync($"/api/v1/attendance/marks/{mark}/justification", new { reason = "illness" });

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal(0, (await JsonAsync(staff, "/api/v1/attendance/pending")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("staff.b", 404)]
    [InlineData("schooladmin.b", 404)]
    [InlineData("teacher.a1", 403)]
    [InlineData("parent.a1", 403)]
    [InlineData("pupil.a1", 403)]
    public async Task Decide_NotTheOfficeOfThePupilsSchool_Refused(string login, int expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var mark = await SeedAbsenceAsync(app, schools);
        using var parent = await SignedInAsync(app, "parent.a1");
        await parent.PostJsonAsync($"/api/v1/attendance/marks/{mark}/justification", new { reason = "illness" });
        using var client = await SignedInAsync(app, login);

        var response = await client.PostJsonAsync($"/api/v1/attendance/marks/{mark}/decision", new { accepted = true });

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("pending", (await JsonAsync(parent, $"/api/v1/attendance/pupils/{schools.People["pupil.a1"]}")).GetProperty("marks")[0]
            .GetProperty("decision").GetString());
        using var otherOffice = await SignedInAsync(app, "staff.b");
        Assert.Equal(0, (await JsonAsync(otherOffice, "/api/v1/attendance/day")).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await JsonAsync(otherOffice, "/api/v1/attendance/pending")).GetProperty("items").GetArrayLength());
    }
}
