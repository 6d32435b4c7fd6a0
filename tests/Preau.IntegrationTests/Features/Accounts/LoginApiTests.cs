using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts;

public sealed class LoginApiTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Login_GoodCredentials_ReturnsProfileAndCookie(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative),
            new { login = "Pupil.A1 ", password = TestSchools.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(schools.People["pupil.a1"], body.GetProperty("id").GetGuid());
        Assert.Equal("Pupil", body.GetProperty("profile").GetString());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("preau=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("pupil.a1", "wrong-password")]
    [InlineData("nobody.here", TestSchools.Password)]
    public async Task Login_BadCredentials_Returns401ProblemWithSameMessage(string login, string password)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { login, password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Identifiant ou mot de passe incorrect.", problem.GetProperty("detail").GetString());
    }
}
