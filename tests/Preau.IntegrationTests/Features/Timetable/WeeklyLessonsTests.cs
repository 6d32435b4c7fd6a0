using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Timetable;

public sealed class WeeklyLessonsTests
{
    private static object Lesson(TestSchools s, string classKey = "a1", string teacher = "teacher.a1", string room = "B12", int day = 1, string start = "08:00",
        string end = "09:00", string? weeks = null) =>
        new { groupId = s.Classes[classKey], subjectId = s.Subjects["maths"], teacherId = s.People[teacher], room, day, start, end, weeks };

    private static async Task<JsonElement[]> WeekAsync(HttpClient client)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var monday = today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7));
        var response = await client.GetAsync(new Uri($"/api/v1/timetable?from={monday:yyyy-MM-dd}&to={monday.AddDays(6):yyyy-MM-dd}", UriKind.Relative));
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lessons").EnumerateArray()];
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task CreateLesson_StaffOfTheSchool_ShowsInThePupilsWeek(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");

        var response = await staff.PostAsJsonAsync(new Uri("/api/v1/timetable/lessons", UriKind.Relative), Lesson(s));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var lesson = Assert.Single(await WeekAsync(pupil));
        Assert.Equal("Mathématiques", lesson.GetProperty("subjectName").GetString());
        Assert.Equal("B12", lesson.GetProperty("room").GetString());
    }

    [Fact]
    public async Task CreateLesson_TeacherOrRoomAlreadyTaken_ConflictInFrenchAndNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");
        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsJsonAsync(new Uri("/api/v1/timetable/lessons", UriKind.Relative), Lesson(s))).StatusCode);

        var sameTeacher = await staff.PostAsJsonAsync(new Uri("/api/v1/timetable/lessons", UriKind.Relative),
            Lesson(s, classKey: "a2", room: "C01", start: "08:30", end: "09:30"));
        var sameRoom = await staff.PostAsJsonAsync(new Uri("/api/v1/timetable/lessons", UriKind.Relative),
            Lesson(s, classKey: "a2", teacher: "teacher.a2", start: "08:30", end: "09:30"));
        var otherWeek = await staff.PostAsJsonAsync(new Uri("/api/v1/timetable/lessons", UriKind.Relative), Lesson(s, day: 2, weeks: "A"));

        var problem = await sameTeacher.AssertProblemAsync(409);
        Assert.Contains("a déjà cours avec 4e1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("salle B12 est déjà occupée", (await sameRoom.AssertProblemAsync(409)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, otherWeek.StatusCode);
        Assert.Equal(2, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }

    [Theory]
    [InlineData("teacher.a1", HttpStatusCode.Forbidden)]
    [InlineData("pupil.a1", HttpStatusCode.Forbidden)]
    [InlineData("parent.a1", HttpStatusCode.Forbidden)]
    [InlineData("staff.b", HttpStatusCode.BadRequest)] // class and teacher of another school
    public async Task CreateLesson_WrongProfileOrSchool_Refused(string login, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        var response = await client.PostAsJsonAsync(new Uri("/api/v1/timetable/lessons", UriKind.Relative), Lesson(s));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }

    private static async Task<JsonElement> ImportAsync(HttpClient client, string text, string query = "", string fileName = "edt.csv",
        string mediaType = "text/csv")
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        using var content = new MultipartFormDataContent { { file, "file", fileName } };
        var response = await client.PostAsync(new Uri("/api/v1/timetable/lessons/import" + query, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task ImportCsv_ConflictInsideTheFile_ReportedAndNothingWrittenThenValidFileApplied()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var head = await SignedInAsync(app, "schooladmin.a");
        const string Header = "jour;debut;duree;matiere;enseignant;classe;salle;semaine\n";

        var clash = await ImportAsync(head, Header + "lundi;08:00;1h;MATHS;teacher.a1;4e1;B12;\nlundi;08:30;55;Mathématiques;teacher.a1;4e2;C01;\n");
        var dry = await ImportAsync(head, Header + "lundi;08:00;1h;MATHS;teacher.a1;4e1;B12;\nmardi;10h00;1h30;MATHS;teacher.a2;4e2;C01;A\n", "?dryRun=true");
        var applied = await ImportAsync(head, Header + "lundi;08:00;1h;MATHS;teacher.a1;4e1;B12;\nmardi;10h00;1h30;MATHS;teacher.a2;4e2;C01;A\n");

        Assert.False(clash.GetProperty("applied").GetBoolean());
        Assert.Contains("a déjà cours avec 4e1", clash.GetProperty("conflicts")[0].GetString(), StringComparison.Ordinal);
        Assert.False(dry.GetProperty("applied").GetBoolean());
        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Equal(2, applied.GetProperty("created").GetInt32());
        var tuesday = await app.WithDbAsync(d => d.TimetableLessons.SingleAsync(l => l.Day == DayOfWeek.Tuesday));
        Assert.Equal((new TimeOnly(10, 0), new TimeOnly(11, 30)), (tuesday.Start, tuesday.End));
    }

    [Fact]
    public async Task ImportCsv_UnknownTeacherOfAnotherSchool_ErrorPerLineNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");

        var report = await ImportAsync(staff, "lundi;08:00;1h;MATHS;teacher.b1;4e1;B12;\njeudi;25:00;1h;MATHS;teacher.a1;4e1;B12;\n");

        Assert.Equal(["Ligne 1 : enseignant « teacher.b1 » inconnu.", "Ligne 2 : heure de début illisible."],
            report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(0, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }

    [Fact]
    public async Task ImportIcal_WeeklyAndFortnightlyEvents_LessonsWithWeekAndValidity()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");

        var dry = await ImportAsync(staff, WeeklyLessonsIcal.Valid, "?dryRun=true", "edt.ics", "text/calendar");
        var written = await app.WithDbAsync(d => d.TimetableLessons.CountAsync());
        var applied = await ImportAsync(staff, WeeklyLessonsIcal.Valid, fileName: "edt.ics", mediaType: "text/calendar");

        Assert.False(dry.GetProperty("applied").GetBoolean());
        Assert.Equal(0, written);
        Assert.True(applied.GetProperty("applied").GetBoolean());
        var lessons = await app.WithDbAsync(d => d.TimetableLessons.AsNoTracking().OrderBy(l => l.Start).ToListAsync());
        Assert.Collection(lessons,
            weekly =>
            {
                Assert.Equal((s.Classes["a1"], s.People["teacher.a1"], "B12"), (weekly.GroupId, weekly.TeacherId, weekly.Room));
                Assert.Equal((DayOfWeek.Monday, new TimeOnly(8, 0), new TimeOnly(9, 0)), (weekly.Day, weekly.Start, weekly.End));
                Assert.Equal(Preau.Data.Timetable.WeekParity.Every, weekly.Weeks);
                Assert.Equal((new DateOnly(2026, 9, 7), new DateOnly(2027, 6, 30)), (weekly.ValidFrom!.Value, weekly.ValidTo!.Value));
            },
            fortnightly =>
            {
                Assert.Equal((s.Classes["a2"], s.People["teacher.a2"], "C01"), (fortnightly.GroupId, fortnightly.TeacherId, fortnightly.Room));
                Assert.Equal((new TimeOnly(10, 0), new TimeOnly(11, 30)), (fortnightly.Start, fortnightly.End));
                Assert.Equal(Preau.Data.Timetable.WeekParity.B, fortnightly.Weeks);
            });
    }

    [Fact]
    public async Task ImportIcal_UnknownNamesOrNotWeekly_ErrorPerEventNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var head = await SignedInAsync(app, "schooladmin.a");

        var report = await ImportAsync(head, WeeklyLessonsIcal.Faulty, fileName: "edt.ics", mediaType: "text/calendar");

        Assert.Equal(
            [
                "Événement 1 (Latin) : matière « Latin » inconnue (SUMMARY).",
                "Événement 2 (MATHS) : pas de répétition hebdomadaire (RRULE:FREQ=WEEKLY).",
                "Événement 3 (MATHS) : classe ou groupe « 6e9 » inconnu (CATEGORIES).",
            ],
            report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(0, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }

    [Theory]
    [InlineData("teacher.a1", HttpStatusCode.Forbidden)]
    [InlineData("pupil.a1", HttpStatusCode.Forbidden)]
    [InlineData("parent.a1", HttpStatusCode.Forbidden)]
    public async Task ImportIcal_WrongProfile_Refused(string login, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(WeeklyLessonsIcal.Valid));
        using var content = new MultipartFormDataContent { { file, "file", "edt.ics" } };

        var response = await client.PostAsync(new Uri("/api/v1/timetable/lessons/import", UriKind.Relative), content);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }
}
