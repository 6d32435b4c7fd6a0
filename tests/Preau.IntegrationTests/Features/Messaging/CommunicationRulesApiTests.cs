using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Messaging;

public sealed class CommunicationRulesApiTests
{
    private static readonly object s_closed = new
    {
        pupilsToTeachers = true, pupilsToStaff = true, pupilsToClassmates = false, parentsToTeachers = true,
        parentsToStaff = true, teachersToParents = true, teachersToWholeClasses = true, staffToWholeSchool = true,
    };

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task PutRules_SchoolAdmin_StoredAndReadBack(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var admin = await MessagingApiTests.ClientAsync(app, "schooladmin.a");
        var url = new Uri($"/api/v1/schools/{schools.Schools["a"]}/communication-rules", UriKind.Relative);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("pupilsToClassmates").GetBoolean());

        var put = await admin.PutAsJsonAsync(url, s_closed);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("pupilsToClassmates").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(url, s_closed)).StatusCode); // second write updates in place
    }

    [Theory]
    [InlineData("Sqlite", "teacher.a1", "a", HttpStatusCode.Forbidden)]     // wrong profile
    [InlineData("Sqlite", "staff.a", "a", HttpStatusCode.Forbidden)]        // wrong profile
    [InlineData("Sqlite", "schooladmin.b", "a", HttpStatusCode.NotFound)]   // wrong school: not theirs to see
    [InlineData("Postgres", "schooladmin.b", "a", HttpStatusCode.NotFound)]
    [InlineData("Sqlite", "regionadmin", "a", HttpStatusCode.OK)]           // region staff may
    public async Task PutRules_WrongProfileOrSchool_Refused(string provider, string login, string school, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await MessagingApiTests.ClientAsync(app, login);

        var put = await client.PutAsJsonAsync(new Uri($"/api/v1/schools/{schools.Schools[school]}/communication-rules", UriKind.Relative), s_closed);

        Assert.Equal(expected, put.StatusCode);
    }
}
