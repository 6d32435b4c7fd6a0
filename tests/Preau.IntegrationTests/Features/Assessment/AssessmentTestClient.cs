using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Assessment;

/// <summary>Helpers of the assessment tests: a signed-in client, an assessment created by a teacher, a grid sent.</summary>
internal static class AssessmentTestClient
{
    /// <summary>Today in Paris, so that the assessment falls in the current term.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);

    public static async Task<HttpClient> SignedInAsync(PreauAppFactory app, string login)
    {
        // Same address as the factory's own clients: a browser test (the shared page matrix) serves on a real port.
        Uri? address;
        using (var plain = app.CreateClient())
        {
            address = plain.BaseAddress;
        }

        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = address! });
        await TestSchools.LoginAsync(client, login);
        return client;
    }

    /// <summary>A maths test of class a1 marked out of 20 with coefficient 2, by teacher.a1; its id.</summary>
    public static async Task<Guid> CreateMarksAsync(PreauAppFactory app, TestSchools schools, string title = "Contrôle de fractions", decimal outOf = 20, decimal coefficient = 2)
    {
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var response = await teacher.PostAsJsonAsync(new Uri("/api/v1/assessments", UriKind.Relative), new
        {
            classId = schools.Classes["a1"], subjectId = schools.Subjects["maths"], title, date = Today, kind = "notes", outOf, coefficient,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> SaveGridAsync(HttpClient client, Guid id, params (Guid Pupil, Guid? Skill, string Value)[] cells) =>
        client.PutAsJsonAsync(new Uri($"/api/v1/assessments/{id}/grid", UriKind.Relative),
            new { cells = cells.Select(c => new { studentId = c.Pupil, skillId = c.Skill, value = c.Value }) });

    public static Task<HttpResponseMessage> PublishAsync(HttpClient client, Guid id, DateTimeOffset? at) =>
        client.PutAsJsonAsync(new Uri($"/api/v1/assessments/{id}/publication", UriKind.Relative), new { publishAt = at });

    public static async Task<JsonElement> ResultsAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync(new Uri($"/api/v1/results{query}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>pupil.a1 and two more pupils of a1 (a1b, a1c) with marks 12,5, 8 and absent, published now.</summary>
    public static async Task<Guid> PublishedMarksAsync(PreauAppFactory app, TestSchools schools)
    {
        await schools.AddPupilAsync(app.Services, "pupil.a1b", "a1");
        await schools.AddPupilAsync(app.Services, "pupil.a1c", "a1");
        var id = await CreateMarksAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        (await SaveGridAsync(teacher, id, (schools.People["pupil.a1"], null, "12,5"), (schools.People["pupil.a1b"], null, "8"),
            (schools.People["pupil.a1c"], null, "abs"))).EnsureSuccessStatusCode();
        (await PublishAsync(teacher, id, DateTimeOffset.UtcNow.AddMinutes(-1))).EnsureSuccessStatusCode();
        return id;
    }
}
