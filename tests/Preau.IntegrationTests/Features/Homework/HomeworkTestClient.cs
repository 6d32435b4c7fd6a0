using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Homework;

/// <summary>Small helpers shared by the homework tests: a signed-in client per login, and an entry posted by a teacher.</summary>
internal static class HomeworkTestClient
{
    /// <summary>A school day safely in the future, whatever the time zone of the machine.</summary>
    public static DateOnly Due => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);

    public static async Task<HttpClient> SignedInAsync(PreauAppFactory app, string login)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await TestSchools.LoginAsync(client, login);
        return client;
    }

    public static async Task<Guid> PostAsync(PreauAppFactory app, TestSchools schools, string teacher = "teacher.a1", string classKey = "a1",
        string title = "Exercices 3 et 4 page 52", string body = "Faire **les deux** exercices.", DateOnly? due = null)
    {
        using var client = await SignedInAsync(app, teacher);
        var response = await client.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes[classKey]}/homework", UriKind.Relative),
            new { title, body, subjectId = schools.Subjects["maths"], dueDate = due ?? Due, estimatedMinutes = 30 });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("id").GetGuid();
    }

    public static Uri ListUri(DateOnly? due = null, string extra = "")
    {
        var d = due ?? Due;
        return new Uri($"/api/v1/homework?from={d.AddDays(-3):yyyy-MM-dd}&to={d.AddDays(3):yyyy-MM-dd}{extra}", UriKind.Relative);
    }

    public static async Task<JsonElement[]> ListAsync(HttpClient client, string extra = "")
    {
        var response = await client.GetAsync(ListUri(null, extra));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}
