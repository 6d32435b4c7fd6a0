using System.Net.Http.Json;
using System.Text.Json;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>Every page of every profile ("" is signed out), with a homework, a message and a news item
/// seeded so that the reading pages have something to show. The accessibility and HTML checks walk it.</summary>
public static class ProfilePages
{
    public static async Task<Dictionary<string, string[]>> SeedAsync(PreauAppFactory app, TestSchools schools)
    {
        var ids = await SeedContentAsync(app, schools);
        var assessment = await Features.Assessment.AssessmentTestClient.PublishedMarksAsync(app, schools);
        string[] marks = ["/evaluations", $"/evaluations/{assessment}", $"/evaluations/classes/{schools.Classes["a1"]}"];
        var (lesson, absence) = await SeedAbsenceAsync(app, schools);
        var connectedApp = await Features.Apps.Registry.AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        var common = new[] { "/", "/devoirs", "/messagerie", "/messagerie/ecrire", "/messagerie/brouillons", "/actualites", "/fil", "/compte/mot-de-passe" };
        return new Dictionary<string, string[]>
        {
            [""] = ["/", "/connexion", "/activation", "/statut"],
            ["pupil.a1"] = [.. common, "/emploi-du-temps", $"/actualites/{ids.News}", $"/devoirs/{ids.Homework}/rendu", "/notes", "/absences"],
            ["parent.a1"] = [.. common, "/emploi-du-temps", $"/messagerie/{ids.Message}", $"/actualites/{ids.News}", $"/devoirs/{ids.Homework}/rendu", "/notes",
                "/absences", $"/absences/{absence}/justifier"],
            ["teacher.a1"] = [.. common, "/emploi-du-temps", "/devoirs/nouveau", $"/devoirs/{ids.Homework}/modifier", "/actualites/publier",
                $"/devoirs/{ids.Homework}/copies", $"/devoirs/{ids.Homework}/copies/{schools.People["pupil.a1"]}", .. marks, "/evaluations/nouvelle",
                "/appel", $"/appel/{lesson}"],
            ["staff.a"] = [.. common, "/actualites/publier", $"/actualites/{ids.News}/lectures", .. marks, "/vie-scolaire/absences"],
            ["schooladmin.a"] = [.. common, "/messagerie/regles", .. marks, "/etablissement/periodes", "/vie-scolaire/absences"],
            ["regionadmin"] = ["/", "/admin/portail", "/compte/mot-de-passe", "/region/applications", "/region/applications/nouvelle", $"/region/applications/{connectedApp}"],
        };
    }

    /// <summary>A lesson of class a1 today whose register says pupil.a1 was absent.</summary>
    private static async Task<(Guid Lesson, Guid Absence)> SeedAbsenceAsync(PreauAppFactory app, TestSchools schools)
    {
        var lesson = await Features.Attendance.AttendanceTestData.SeedLessonTodayAsync(app, schools);
        using var teacher = app.CreateClient();
        await TestSchools.LoginAsync(teacher, "teacher.a1");
        (await teacher.PutAsJsonAsync(new Uri($"/api/v1/attendance/lessons/{lesson}/register", UriKind.Relative),
            new { absent = new[] { schools.People["pupil.a1"] } })).EnsureSuccessStatusCode();
        using var parent = app.CreateClient();
        await TestSchools.LoginAsync(parent, "parent.a1");
        var record = await parent.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/attendance/pupils/{schools.People["pupil.a1"]}", UriKind.Relative));
        return (lesson, record.GetProperty("marks")[0].GetProperty("id").GetGuid());
    }

    private static async Task<(Guid Homework, Guid News, Guid Message)> SeedContentAsync(PreauAppFactory app, TestSchools schools)
    {
        using var teacher = app.CreateClient();
        await TestSchools.LoginAsync(teacher, "teacher.a1");
        var homework = await teacher.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative), new
        {
            title = "Exercices 4 à 9 page 112", body = "Rédiger **proprement**.", subjectId = schools.Subjects["maths"],
            dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1), estimatedMinutes = 30,
            handIn = "both", handInLateAllowed = true,
        });
        var message = await teacher.PostAsJsonAsync(new Uri("/api/v1/messages", UriKind.Relative), new
        {
            to = new[] { $"person:{schools.People["parent.a1"]}" }, subject = "Sortie au musée", body = "Bonjour,\n\nla sortie a lieu **jeudi**.",
        });
        using var staff = app.CreateClient();
        await TestSchools.LoginAsync(staff, "staff.a");
        var news = await staff.PostAsJsonAsync(new Uri("/api/v1/news", UriKind.Relative), new
        {
            title = "Collège fermé jeudi", body = "Les cours ont lieu à distance.",
            audience = new[] { $"school:{schools.Schools["a"]}:Pupil", $"school:{schools.Schools["a"]}:Parent" }, receiptRequired = true,
        });
        static async Task<Guid> IdOf(HttpResponseMessage r) =>
            (await r.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var homeworkId = await IdOf(homework);
        // The pupil's work is in, so the teacher's return form is on the page too.
        using var pupil = app.CreateClient();
        await TestSchools.LoginAsync(pupil, "pupil.a1");
        using var work = new MultipartFormDataContent { { new StringContent("Mon travail, rendu à l'heure."), "text" } };
        (await pupil.PutAsync(new Uri($"/api/v1/homework/{homeworkId}/submission", UriKind.Relative), work)).EnsureSuccessStatusCode();
        return (homeworkId, await IdOf(news), await IdOf(message));
    }
}
