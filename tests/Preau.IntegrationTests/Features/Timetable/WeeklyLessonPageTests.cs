using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Preau.Data.Timetable;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;
using static Preau.IntegrationTests.Features.Import.ImportPageClient;

namespace Preau.IntegrationTests.Features.Timetable;

public sealed class WeeklyLessonPageTests
{
    private const string ListPage = "/etablissement/emploi-du-temps";
    private const string EditPage = "/etablissement/emploi-du-temps/cours";

    private static Dictionary<string, string> Form(TestSchools s, string classKey = "a1", string teacher = "teacher.a1", string room = "B12",
        string day = "1", string start = "08:00", string end = "09:00", string weeks = "") => new()
        {
            ["Input.Group"] = s.Classes[classKey].ToString(), ["Input.Subject"] = s.Subjects["maths"].ToString(),
            ["Input.Teacher"] = s.People[teacher].ToString(), ["Input.Room"] = room, ["Input.Day"] = day, ["Input.Start"] = start,
            ["Input.End"] = end, ["Input.Weeks"] = weeks, ["Input.ValidFrom"] = "", ["Input.ValidTo"] = "",
        };

    private static Task<HttpResponseMessage> SaveAsync(HttpClient client, Dictionary<string, string> form, string query = "") =>
        PostFormAsync(client, EditPage + query, EditPage + query, form);

    private static async Task<string> TextAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private static async Task<HttpResponseMessage> UploadTimetableAsync(HttpClient client, string fileName, string mediaType, string text, bool replace = false)
    {
        var token = await TokenAsync(client, ListPage);
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        content.Add(file, "fichier", fileName);
        if (replace)
        {
            content.Add(new StringContent("true"), "remplacer");
        }

        return await client.PostAsync(new Uri(ListPage + "?handler=Check", UriKind.Relative), content);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task LessonPage_StaffCreatesLesson_ShownOnTheClassTimetable(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");

        var saved = await SaveAsync(staff, Form(s, day: "3", start: "10:00", end: "11:30", weeks: "A"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"{ListPage}?classe={s.Classes["a1"]}", saved.Headers.Location?.OriginalString);
        var list = await TextAsync(await staff.GetAsync(new Uri(saved.Headers.Location!.OriginalString, UriKind.Relative)));
        Assert.Contains("Cours enregistré.", list, StringComparison.Ordinal);
        Assert.Contains("Mercredi", list, StringComparison.Ordinal);
        Assert.Contains("10:00–11:30</strong> Mathématiques, A1 teacher, salle B12", list, StringComparison.Ordinal);
        Assert.Contains("(semaine A)", list, StringComparison.Ordinal);
        var lesson = await app.WithDbAsync(d => d.TimetableLessons.SingleAsync());
        Assert.Equal((DayOfWeek.Wednesday, WeekParity.A), (lesson.Day, lesson.Weeks));
    }

    [Fact]
    public async Task LessonPage_ConflictOrUnreadableTime_FrenchMessageTypedTextKeptNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var head = await SignedInAsync(app, "schooladmin.a");
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(head, Form(s))).StatusCode);

        var clash = await SaveAsync(head, Form(s, classKey: "a2", room: "Salle polyvalente", start: "08:30", end: "09:30"));
        var unreadable = await SaveAsync(head, Form(s, classKey: "a2", room: "C01", start: "8 heures", end: "09:30"));

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        var clashHtml = await TextAsync(clash);
        Assert.Contains("lundi 08:30 : teacher A1 a déjà cours avec 4e1.", clashHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"Salle polyvalente\"", clashHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        var unreadableHtml = await TextAsync(unreadable);
        Assert.Contains("Heure attendue, par exemple 08:30.", unreadableHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"8 heures\"", unreadableHtml, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }

    [Fact]
    public async Task LessonPage_EditThenDeleteAfterConfirmation_ChangedThenGone()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");
        await SaveAsync(staff, Form(s));
        var id = await app.WithDbAsync(d => d.TimetableLessons.Select(l => l.Id).SingleAsync());

        var form = await TextAsync(await staff.GetAsync(new Uri($"{EditPage}?id={id}", UriKind.Relative)));
        var edited = await SaveAsync(staff, Form(s, room: "C01", start: "14:00", end: "15:00"), $"?id={id}");
        var confirm = await TextAsync(await staff.GetAsync(new Uri($"{EditPage}?id={id}&supprimer=true", UriKind.Relative)));
        var afterEdit = await app.WithDbAsync(d => d.TimetableLessons.AsNoTracking().SingleAsync());
        var deleted = await PostFormAsync(staff, $"{EditPage}?id={id}&supprimer=true", $"{EditPage}?id={id}&handler=Delete", []);

        Assert.Contains("value=\"B12\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal(("C01", new TimeOnly(14, 0)), (afterEdit.Room, afterEdit.Start));
        Assert.Contains("Supprimer ce cours (lundi 14:00–15:00) ?", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }

    [Theory]
    [InlineData("pupil.a1")]
    [InlineData("parent.a1")]
    [InlineData("teacher.a1")]
    public async Task LessonPages_PupilParentOrTeacher_Forbidden(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri(ListPage, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri(EditPage, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task LessonPages_StaffOfAnotherSchool_CannotSeeEditDeleteOrUseItsClasses()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var staffA = await SignedInAsync(app, "staff.a");
        await SaveAsync(staffA, Form(s));
        var id = await app.WithDbAsync(d => d.TimetableLessons.Select(l => l.Id).SingleAsync());
        using var staffB = await SignedInAsync(app, "staff.b");

        var list = await TextAsync(await staffB.GetAsync(new Uri($"{ListPage}?classe={s.Classes["a1"]}", UriKind.Relative)));
        var edit = await staffB.GetAsync(new Uri($"{EditPage}?id={id}", UriKind.Relative));
        var update = await PostFormAsync(staffB, EditPage, $"{EditPage}?id={id}", Form(s, room: "Z99"));
        var delete = await PostFormAsync(staffB, EditPage, $"{EditPage}?id={id}&handler=Delete", []);
        var create = await SaveAsync(staffB, Form(s, start: "15:00", end: "16:00"));

        Assert.DoesNotContain("B12", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Contains("Choisissez une classe ou un groupe de l'établissement.", await TextAsync(create), StringComparison.Ordinal);
        var lesson = await app.WithDbAsync(d => d.TimetableLessons.AsNoTracking().SingleAsync());
        Assert.Equal("B12", lesson.Room);
    }

    [Fact]
    public async Task TimetableUpload_IcalFile_DryRunReportThenApplied()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var s = await TestSchools.SeedAsync(app.Services);
        using var head = await SignedInAsync(app, "schooladmin.a");

        var check = await UploadTimetableAsync(head, "edt.ics", "text/calendar", WeeklyLessonsIcal.Valid);
        var html = await TextAsync(check);
        var nothingYet = await app.WithDbAsync(d => d.TimetableLessons.CountAsync());
        var apply = await PostFormAsync(head, ListPage, ListPage + "?handler=Apply",
            new Dictionary<string, string> { ["pending"] = Pending(html)!, ["remplacer"] = "false" });

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("Simulation : rien n'a encore été enregistré", html, StringComparison.Ordinal);
        Assert.Equal(0, nothingYet);
        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        Assert.Contains("Import terminé : 2 cours enregistrés", await TextAsync(apply), StringComparison.Ordinal);
        var list = await TextAsync(await head.GetAsync(new Uri($"{ListPage}?classe={s.Classes["a2"]}", UriKind.Relative)));
        Assert.Contains("10:00–11:30</strong> Mathématiques, A2 teacher, salle C01", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimetableUpload_CsvWithUnknownClass_ReportedPerLineNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");

        var check = await UploadTimetableAsync(staff, "edt.csv", "text/csv",
            "jour;debut;duree;matiere;enseignant;classe;salle;semaine\nlundi;08:00;1h;MATHS;teacher.a1;3e9;B12;\n");

        Assert.Equal(HttpStatusCode.BadRequest, check.StatusCode);
        var html = await TextAsync(check);
        Assert.Contains("Ligne 2 : classe ou groupe « 3e9 » inconnu.", html, StringComparison.Ordinal);
        Assert.Null(Pending(html));
        Assert.Equal(0, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }

    [Fact]
    public async Task TimetableUpload_StaffOfAnotherSchool_NamesOfThisSchoolUnknown()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var staffB = await SignedInAsync(app, "staff.b");

        var check = await UploadTimetableAsync(staffB, "edt.ics", "text/calendar", WeeklyLessonsIcal.Valid);

        Assert.Equal(HttpStatusCode.BadRequest, check.StatusCode);
        Assert.Contains("enseignant « teacher.a1 » inconnu (DESCRIPTION)", await TextAsync(check), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => d.TimetableLessons.CountAsync()));
    }
}

/// <summary>Sample iCalendar files: a weekly lesson in Paris time, a fortnightly one in UTC with a duration.</summary>
internal static class WeeklyLessonsIcal
{
    // 7 September 2026 is in ISO week 37 (odd: week A); 14 September in week 38 (week B). Paris is UTC+2 in September.
    public const string Valid = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Test//EDT//FR
        BEGIN:VEVENT
        UID:1@edt.test
        DTSTAMP:20260801T000000Z
        DTSTART;TZID=Europe/Paris:20260907T080000
        DTEND;TZID=Europe/Paris:20260907T090000
        RRULE:FREQ=WEEKLY;UNTIL=20270630T000000Z
        SUMMARY:MATHS
        DESCRIPTION:teacher.a1
        CATEGORIES:4e1
        LOCATION:B12
        END:VEVENT
        BEGIN:VEVENT
        UID:2@edt.test
        DTSTAMP:20260801T000000Z
        DTSTART:20260914T080000Z
        DURATION:PT1H30M
        RRULE:FREQ=WEEKLY;INTERVAL=2
        SUMMARY:Mathématiques
        DESCRIPTION:A2 teacher
        CATEGORIES:4e2
        LOCATION:C01
        END:VEVENT
        END:VCALENDAR
        """;

    public const string Faulty = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Test//EDT//FR
        BEGIN:VEVENT
        UID:3@edt.test
        DTSTAMP:20260801T000000Z
        DTSTART;TZID=Europe/Paris:20260908T080000
        DTEND;TZID=Europe/Paris:20260908T090000
        RRULE:FREQ=WEEKLY
        SUMMARY:Latin
        DESCRIPTION:teacher.a1
        CATEGORIES:4e1
        END:VEVENT
        BEGIN:VEVENT
        UID:4@edt.test
        DTSTAMP:20260801T000000Z
        DTSTART;TZID=Europe/Paris:20260909T080000
        DTEND;TZID=Europe/Paris:20260909T090000
        SUMMARY:MATHS
        DESCRIPTION:teacher.a1
        CATEGORIES:4e1
        END:VEVENT
        BEGIN:VEVENT
        UID:5@edt.test
        DTSTAMP:20260801T000000Z
        DTSTART;TZID=Europe/Paris:20260910T080000
        DTEND;TZID=Europe/Paris:20260910T090000
        RRULE:FREQ=WEEKLY
        SUMMARY:MATHS
        DESCRIPTION:teacher.a1
        CATEGORIES:6e9
        END:VEVENT
        END:VCALENDAR
        """;
}
