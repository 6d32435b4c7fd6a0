using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;

namespace Preau.IntegrationTests.Features.Accounts;

public sealed class ActivationTests
{
    private const string NewPassword = "cheval agrafe batterie";

    /// <summary>Turns pupil.a1 into a fresh account: no password, a paper code valid for a week.</summary>
    internal static async Task<string> GiveActivationCodeAsync(PreauAppFactory app, Guid personId, TimeSpan validFor)
    {
        var code = ActivationCodes.Generate();
        var hash = ActivationCodes.Hash(code);
        var expires = DateTimeOffset.UtcNow.Add(validFor);
        await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == personId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.PasswordHash, (string?)null)
            .SetProperty(a => a.ActivationCodeHash, hash)
            .SetProperty(a => a.ActivationExpiresAt, expires)));
        return code;
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Activate_ValidCode_SetsPasswordSignsInAndSpendsTheCode(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var pupil = schools.People["pupil.a1"];
        var code = await GiveActivationCodeAsync(app, pupil, TimeSpan.FromDays(7));
        using var client = app.CreateClient();

        // People type codes in lower case and without dashes.
        var response = await client.PostJsonAsync("/api/v1/auth/activate",
            new { login = "pupil.a1", code = code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant(), newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(pupil, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        var account = await app.WithDbAsync(d => d.Accounts.AsNoTracking().SingleAsync(a => a.PersonId == pupil));
        Assert.Null(account.ActivationCodeHash);
        Assert.Null(account.ActivationExpiresAt);
        Assert.StartsWith("$argon2id$", account.PasswordHash, StringComparison.Ordinal);
        using var other = app.CreateClient();
        await (await other.PostJsonAsync("/api/v1/auth/activate", new { login = "pupil.a1", code, newPassword = "un autre mot de passe" })).AssertProblemAsync(401);
        Assert.Equal(HttpStatusCode.OK, (await other.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = NewPassword })).StatusCode);
    }

    [Fact]
    public async Task Activate_ExpiredCode_Returns401WithFrenchExplanation()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var code = await GiveActivationCodeAsync(app, schools.People["pupil.a1"], TimeSpan.FromDays(-1));
        using var client = app.CreateClient();

        var api = await client.PostJsonAsync("/api/v1/auth/activate", new { login = "pupil.a1", code, newPassword = NewPassword });
        var login = await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = code });

        Assert.Contains("a expiré", (await api.AssertProblemAsync(401)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("a expiré", (await login.AssertProblemAsync(401)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("court", "au moins 10 caractères")]
    [InlineData("pupil.a1", "votre identifiant")]
    [InlineData("azertyuiop", "trop courant")]
    public async Task Activate_WeakPassword_Returns400WithReasonAndKeepsTheCode(string weak, string reason)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var code = await GiveActivationCodeAsync(app, schools.People["pupil.a1"], TimeSpan.FromDays(7));
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync("/api/v1/auth/activate", new { login = "pupil.a1", code, newPassword = weak });

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains(problem.GetProperty("errors").GetProperty("newPassword").EnumerateArray(),
            e => e.GetString()!.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/api/v1/auth/activate", new { login = "pupil.a1", code, newPassword = NewPassword })).StatusCode);
    }

    [Theory]
    [InlineData("pupil.a1", "AAAA-BBBB-CCCC")]
    [InlineData("pupil.a2", null)]
    [InlineData("personne.ici", null)]
    public async Task Activate_WrongCodeOrAccount_Returns401SameAnswer(string login, string? code)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var real = await GiveActivationCodeAsync(app, schools.People["pupil.a1"], TimeSpan.FromDays(7));
        using var client = app.CreateClient();

        // pupil.a2 has a password, no code: pupil.a1's code must not work for it.
        var response = await client.PostJsonAsync("/api/v1/auth/activate", new { login, code = code ?? real, newPassword = NewPassword });

        Assert.Equal("Identifiant ou mot de passe incorrect.", (await response.AssertProblemAsync(401)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Login_WithValidActivationCode_Returns403AskingToActivate()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var code = await GiveActivationCodeAsync(app, schools.People["pupil.a1"], TimeSpan.FromDays(7));
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = code });

        Assert.Contains("/api/v1/auth/activate", (await response.AssertProblemAsync(403)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await client.GetAsync("/api/v1/me")).AssertProblemAsync(401);
    }
}
