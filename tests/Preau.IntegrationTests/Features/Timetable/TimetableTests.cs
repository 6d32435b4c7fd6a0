using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Timetable;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Timetable;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Timetable;

public sealed class TimetableTests
{
    /// <summary>Next week's Monday: inside the iCal window and never today.</summary>
    private static DateOnly NextMonday
    {
        get
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            return today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7));
        }
    }

    private sealed record Seeded(Guid Maths, Guid WeekA, Guid WeekB);

    /// <summary>Class a1: maths on Monday 8:00 every week (room B12), French on Tuesday 10:00 in week A
    /// only and on Tuesday 14:00 in week B only.</summary>
    private static async Task<Seeded> SeedLessonsAsync(PreauAppFactory app, TestSchools schools)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        TimetableLesson Lesson(DayOfWeek day, int hour, WeekParity weeks, string subject) => new()
        {
            SchoolId = schools.Schools["a"], GroupId = schools.Classes["a1"], SubjectId = schools.Subjects[subject],
            TeacherId = schools.People["teacher.a1"], Room = "B12", Day = day, Start = new TimeOnly(hour, 0), End = new TimeOnly(hour + 1, 0), Weeks = weeks,
        };
        var maths = Lesson(DayOfWeek.Monday, 8, WeekParity.Every, "maths");
        var weekA = Lesson(DayOfWeek.Tuesday, 10, WeekParity.A, "francais");
        var weekB = Lesson(DayOfWeek.Tuesday, 14, WeekParity.B, "francais");
        db.TimetableLessons.AddRange(maths, weekA, weekB);
        await db.SaveChangesAsync();
        return new Seeded(maths.Id, weekA.Id, weekB.Id);
    }

    private static async Task<JsonElement[]> LessonsAsync(HttpClient client, string extra = "")
    {
        var response = await client.GetAsync(new Uri($"/api/v1/timetable?from={NextMonday:yyyy-MM-dd}&to={NextMonday.AddDays(6):yyyy-MM-dd}{extra}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lessons").EnumerateArray()];
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Timetable_PupilOfClass_SeesWeekWithOnlyTheRightWeekAOrBLessonAndChanges(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var seeded = await SeedLessonsAsync(app, schools);
        using var staff = await SignedInAsync(app, "staff.a");
        var change = await staff.PostAsJsonAsync(new Uri($"/api/v1/timetable/lessons/{seeded.Maths}/changes", UriKind.Relative),
            new { date = NextMonday, kind = "roomChange", newRoom = "C03", note = "Salle B12 en travaux" });
        Assert.Equal(HttpStatusCode.Created, change.StatusCode);

        using var pupil = await SignedInAsync(app, "pupil.a1");
        var lessons = await LessonsAsync(pupil);

        Assert.Equal(2, lessons.Length);
        var monday = lessons[0];
        Assert.Equal("Mathématiques", monday.GetProperty("subjectName").GetString());
        Assert.Equal("roomChange", monday.GetProperty("change").GetString());
        Assert.Equal("C03", monday.GetProperty("newRoom").GetString());
        var tuesday = lessons[1];
        var expectedLesson = TimetableService.ParityOf(NextMonday.AddDays(1)) == WeekParity.A ? seeded.WeekA : seeded.WeekB;
        Assert.Equal(expectedLesson, tuesday.GetProperty("lessonId").GetGuid());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Timetable_OtherClassSchoolOrChild_SeesNothingOrIsRefused(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await SeedLessonsAsync(app, schools);

        foreach (var login in new[] { "pupil.a2", "pupil.b1", "teacher.a2", "teacher.b1" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Empty(await LessonsAsync(other));
        }

        using var parent = await SignedInAsync(app, "parent.a1");
        Assert.Equal(2, (await LessonsAsync(parent, $"&studentId={schools.People["pupil.a1"]}")).Length);
        using var otherParent = await SignedInAsync(app, "parent.b1");
        var refused = await otherParent.GetAsync(new Uri($"/api/v1/timetable?studentId={schools.People["pupil.a1"]}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        Assert.Equal(2, (await LessonsAsync(teacher)).Length);
    }

    [Theory]
    [InlineData("staff.b", HttpStatusCode.NotFound)]
    [InlineData("schooladmin.b", HttpStatusCode.NotFound)]
    [InlineData("teacher.a1", HttpStatusCode.Forbidden)]
    [InlineData("pupil.a1", HttpStatusCode.Forbidden)]
    [InlineData("parent.a1", HttpStatusCode.Forbidden)]
    public async Task AddChange_NotStaffOfTheSchool_Refused(string login, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var seeded = await SeedLessonsAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        var response = await client.PostAsJsonAsync(new Uri($"/api/v1/timetable/lessons/{seeded.Maths}/changes", UriKind.Relative),
            new { date = NextMonday, kind = "cancelled" });

        Assert.Equal(expected, response.StatusCode);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.All(await LessonsAsync(pupil), l => Assert.Equal(JsonValueKind.Null, l.GetProperty("change").ValueKind));
    }

    [Fact]
    public async Task AddChange_DateWithoutThatLesson_ReturnsValidationProblem()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var seeded = await SeedLessonsAsync(app, schools);
        using var staff = await SignedInAsync(app, "staff.a");

        var response = await staff.PostAsJsonAsync(new Uri($"/api/v1/timetable/lessons/{seeded.Maths}/changes", UriKind.Relative),
            new { date = NextMonday.AddDays(2), kind = "cancelled" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task CalendarFeed_ParsesWithICalendarParser_AndRevokedUrlAnswers404(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var seeded = await SeedLessonsAsync(app, schools);
        using var staff = await SignedInAsync(app, "staff.a");
        await staff.PostAsJsonAsync(new Uri($"/api/v1/timetable/lessons/{seeded.Maths}/changes", UriKind.Relative), new { date = NextMonday, kind = "cancelled" });
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var created = await pupil.PostAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = new Uri((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        using var calendarApp = app.CreateClient();

        var feed = await calendarApp.GetAsync(new Uri(url.PathAndQuery, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        var text = await feed.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", text, StringComparison.Ordinal);
        var calendar = Ical.Net.Calendar.Load(text) ?? throw new InvalidOperationException("unparsable");
        Assert.Equal("2.0", calendar.Version);
        Assert.NotEmpty(calendar.Events);
        Assert.All(calendar.Events, e => Assert.False(string.IsNullOrEmpty(e.Uid)));
        var cancelled = Assert.Single(calendar.Events, e => e.Status == "CANCELLED");
        Assert.Contains("Mathématiques", cancelled.Summary, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(NextMonday.Year, NextMonday.Month, NextMonday.Day), DateOnly.FromDateTime(cancelled.DtStart!.AsUtc));

        // A new address revokes the old one; revoking leaves no address at all.
        var again = await pupil.PostAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative), null);
        var newUrl = new Uri((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await calendarApp.GetAsync(new Uri(url.PathAndQuery, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await calendarApp.GetAsync(new Uri(newUrl.PathAndQuery, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await pupil.DeleteAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await calendarApp.GetAsync(new Uri(newUrl.PathAndQuery, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task TimetablePage_ShowsChangeToPupilAndParent_NotToAnotherSchool()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var seeded = await SeedLessonsAsync(app, schools);
        using var staff = await SignedInAsync(app, "staff.a");
        await staff.PostAsJsonAsync(new Uri($"/api/v1/timetable/lessons/{seeded.Maths}/changes", UriKind.Relative),
            new { date = NextMonday, kind = "cancelled", note = "Sortie scolaire" });
        var url = new Uri($"/emploi-du-temps?semaine={NextMonday:yyyy-MM-dd}", UriKind.Relative);

        foreach (var login in new[] { "pupil.a1", "parent.a1" })
        {
            using var client = await SignedInAsync(app, login);
            var html = await client.GetStringAsync(url);
            Assert.Contains("Cours annulé", html, StringComparison.Ordinal);
            Assert.Contains("Sortie scolaire", html, StringComparison.Ordinal);
        }

        using var other = await SignedInAsync(app, "pupil.b1");
        var otherHtml = await other.GetStringAsync(url);
        Assert.DoesNotContain("B12", otherHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Sortie scolaire", otherHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarFeed_UnknownToken_Returns404()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
