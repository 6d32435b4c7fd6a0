using System.Net;
using System.Text;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Attendance.AttendanceTestData;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Attendance;

public sealed class AttendancePageTests
{
    private static readonly byte[] s_pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    private static async Task<string> MarkIdFromPageAsync(HttpClient parent)
    {
        var page = await parent.GetStringAsync(new Uri("/absences", UriKind.Relative));
        var start = page.IndexOf("/justifier", StringComparison.Ordinal);
        Assert.True(start > 0, "no Justifier link");
        return page[(page.LastIndexOf("/absences/", start, StringComparison.Ordinal) + "/absences/".Length)..start];
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task RegisterThenJustifyThenDecide_ThroughThePages_EveryoneSeesTheOutcome(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        Assert.Contains($"/appel/{lesson}", await teacher.GetStringAsync(new Uri("/appel", UriKind.Relative)), StringComparison.Ordinal);

        var saved = await FormPost.SubmitAsync(teacher, $"/appel/{lesson}", new Dictionary<string, string>
        {
            [$"Statuses[{schools.People["pupil.a1"]}]"] = "absent", [$"Statuses[{schools.People["pupil.a1b"]}]"] = "present",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var register = await teacher.GetStringAsync(new Uri($"/appel/{lesson}?enregistre=true", UriKind.Relative));
        Assert.Contains("Appel enregistré", register, StringComparison.Ordinal);
        Assert.Contains($"name=\"Statuses[{schools.People["pupil.a1"]}]\" value=\"absent\" checked", register, StringComparison.Ordinal);

        using var parent = await SignedInAsync(app, "parent.a1");
        Assert.Contains("Absence de pupil", await parent.GetStringAsync(new Uri("/fil", UriKind.Relative)), StringComparison.Ordinal);
        var mark = await MarkIdFromPageAsync(parent);
        var sent = await FormPost.SubmitWithFileAsync(parent, $"/absences/{mark}/justifier", null,
            [new("Reason", "medical"), new("Comment", "Dentiste")], "Document", "certificat.pdf", s_pdf);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        using var staff = await SignedInAsync(app, "staff.a");
        var day = await staff.GetStringAsync(new Uri("/vie-scolaire/absences", UriKind.Relative));
        Assert.Contains("Rendez-vous médical — Dentiste", day, StringComparison.Ordinal);
        var document = await staff.GetAsync(new Uri($"/absences/{mark}/justificatif", UriKind.Relative));
        Assert.Equal(s_pdf, await document.Content.ReadAsByteArrayAsync());
        using var otherSchool = await SignedInAsync(app, "staff.b");
        Assert.Equal(HttpStatusCode.NotFound, (await otherSchool.GetAsync(new Uri($"/absences/{mark}/justificatif", UriKind.Relative))).StatusCode);
        var decided = await FormPost.SubmitAsync(staff, "/vie-scolaire/absences", new Dictionary<string, string>
        {
            ["MarkId"] = mark, ["Accept"] = "true", ["Comment"] = "",
        }, handler: "Decide");
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);

        var absences = await parent.GetStringAsync(new Uri("/absences", UriKind.Relative));
        Assert.Contains("Justifiée", absences, StringComparison.Ordinal);
        Assert.DoesNotContain("/justifier", absences, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JustifyPage_BadFileOrNoReason_FrenchMessageAndTypedTextKept()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        await FormPost.SubmitAsync(teacher, $"/appel/{lesson}", new Dictionary<string, string> { [$"Statuses[{schools.People["pupil.a1"]}]"] = "late" });
        using var parent = await SignedInAsync(app, "parent.a1");
        var mark = await MarkIdFromPageAsync(parent);

        var badFile = await FormPost.SubmitWithFileAsync(parent, $"/absences/{mark}/justifier", null,
            [new("Reason", "transport"), new("Comment", "Bus en panne")], "Document", "certificat.pdf", Encoding.ASCII.GetBytes("pas un PDF"));
        var page = await badFile.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, badFile.StatusCode);
        Assert.Contains("ne correspond pas", page, StringComparison.Ordinal);
        Assert.Contains("Bus en panne", page, StringComparison.Ordinal);
        var noReason = await FormPost.SubmitAsync(parent, $"/absences/{mark}/justifier", new Dictionary<string, string> { ["Comment"] = "Bus en panne" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Choisissez le motif", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("teacher.a2", "/appel/{lesson}", 404)]
    [InlineData("teacher.b1", "/appel/{lesson}", 404)]
    [InlineData("staff.a", "/appel/{lesson}", 403)]
    [InlineData("parent.a1", "/appel", 403)]
    [InlineData("teacher.a1", "/vie-scolaire/absences", 403)]
    [InlineData("parent.a1", "/vie-scolaire/absences", 403)]
    [InlineData("regionadmin", "/vie-scolaire/absences", 403)]
    [InlineData("teacher.a1", "/absences?eleve={pupil}", 403)]
    [InlineData("parent.a2", "/absences?eleve={pupil}", 403)]
    [InlineData("parent.b1", "/absences?eleve={pupil}", 403)]
    [InlineData("pupil.a2", "/absences?eleve={pupil}", 403)]
    [InlineData("staff.b", "/absences?eleve={pupil}", 403)]
    [InlineData("schooladmin.b", "/absences?eleve={pupil}", 403)]
    [InlineData("regionadmin", "/absences?eleve={pupil}", 403)]
    [InlineData("staff.a", "/absences?eleve={pupil}", 200)]
    [InlineData("schooladmin.a", "/absences?eleve={pupil}", 200)]
    [InlineData("parent.a1", "/absences?eleve={pupil}", 200)]
    public async Task AttendancePages_WrongProfileClassSchoolOrChild_Refused(string login, string path, int expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        var response = await client.GetAsync(new Uri(path.Replace("{lesson}", lesson.ToString(), StringComparison.Ordinal)
            .Replace("{pupil}", schools.People["pupil.a1"].ToString(), StringComparison.Ordinal), UriKind.Relative));

        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Fact]
    public async Task JustifyPage_AnotherFamilysAbsence_NotFound()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        await FormPost.SubmitAsync(teacher, $"/appel/{lesson}", new Dictionary<string, string> { [$"Statuses[{schools.People["pupil.a1"]}]"] = "absent" });
        using var parent = await SignedInAsync(app, "parent.a1");
        var mark = await MarkIdFromPageAsync(parent);
        using var other = await SignedInAsync(app, "parent.b1");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"/absences/{mark}/justifier", UriKind.Relative))).StatusCode);
        var post = await FormPost.SubmitWithFilesAsync(other, $"/absences/{mark}/justifier", null, [new("Reason", "illness")], [], tokenFrom: "/absences");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    /// <summary>The budget is 50 KB transferred; measured here uncompressed (HTML + stylesheet), which is stricter.</summary>
    [Fact]
    public async Task RegisterAndDayPages_ClassOf35WithManyAbsences_StayUnder50KB()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var lesson = await SeedLessonTodayAsync(app, schools);
        for (var i = 0; i < 33; i++)
        {
            await schools.AddPupilAsync(app.Services, $"pupil.a1x{i}", "a1");
        }

        using var teacher = await SignedInAsync(app, "teacher.a1");
        var absent = schools.People.Where(p => p.Key.StartsWith("pupil.a1x", StringComparison.Ordinal)).Select(p => p.Value).ToArray();
        (await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(teacher, new Uri(RegisterApi(lesson), UriKind.Relative),
            new { absent })).EnsureSuccessStatusCode();
        using var staff = await SignedInAsync(app, "staff.a");

        foreach (var (client, path) in new[] { (teacher, $"/appel/{lesson}"), (staff, "/vie-scolaire/absences") })
        {
            var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
            var css = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/css/site[^\"]*)\"").Groups[1].Value;
            var cssBytes = (await client.GetByteArrayAsync(new Uri(css, UriKind.Relative))).Length;
            Assert.True(Encoding.UTF8.GetByteCount(html) + cssBytes <= 50 * 1024, $"{path}: {Encoding.UTF8.GetByteCount(html) + cssBytes} bytes");
        }
    }
}
