using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Import;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts.External;

namespace Preau.IntegrationTests.Features.Accounts.External;

/// <summary>What the settings turn on and off, and the matching rules no provider can talk round
/// (the provider here is never contacted).</summary>
public sealed class ExternalSignInSettingsTests
{
    private static Dictionary<string, string?> Configured(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ExternalSignIn:Authority"] = "http://127.0.0.1:9/",
            ["ExternalSignIn:ClientId"] = "preau",
            ["ExternalSignIn:RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task SignInPage_NoProviderConfigured_NoButtonAndChallengeNotFound()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        Assert.DoesNotContain("Se connecter avec", await client.GetStringAsync("/connexion"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/connexion/externe")).StatusCode);
    }

    [Fact]
    public async Task SignInPage_ProviderConfigured_ShowsButtonWithDisplayName()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, Configured(("ExternalSignIn:DisplayName", "EduConnect")));
        using var client = app.CreateClient();

        var page = await client.GetStringAsync("/connexion?returnUrl=%2Fdevoirs");

        Assert.Contains("Se connecter avec EduConnect", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/connexion/externe?returnUrl=%2Fdevoirs\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_LocalPasswordOff_PupilRefusedInFrenchRegionAdminStillSignsIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, Configured(("ExternalSignIn:AllowLocalPassword", "false")));
        await TestSchools.SeedAsync(app.Services);
        using var pupil = app.CreateClient();
        using var admin = app.CreateClient();

        var refused = await pupil.PostAsJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password });
        await TestSchools.LoginAsync(admin, "regionadmin");

        await refused.AssertProblemAsync(403);
        Assert.Contains("compte académique", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await pupil.GetAsync("/api/v1/me")).StatusCode);
        Assert.Contains("sert seulement de secours", await pupil.GetStringAsync("/connexion"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_TwoAccountsWithTheSameIne_AmbiguousAndNothingLinked()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, Configured(("ExternalSignIn:MatchOn", "NationalId")));
        var schools = await TestSchools.SeedAsync(app.Services);
        await AddIneAsync(app, schools, "pupil.a1", "111111111AA");
        await AddIneAsync(app, schools, "pupil.b1", "111111111AA");

        await using var scope = app.Services.CreateAsyncScope();
        var (outcome, account) = await scope.ServiceProvider.GetRequiredService<ExternalAccounts>()
            .ResolveAsync("https://idp.test/", "sub-1", "111111111AA", CancellationToken.None);

        Assert.Equal(ExternalOutcome.Ambiguous, outcome);
        Assert.Null(account);
        Assert.False(await scope.ServiceProvider.GetRequiredService<PreauDbContext>().ExternalIdentities.AnyAsync());
    }

    /// <summary>A pupil who changed school several times: three deactivated records and the active one share the INE.</summary>
    [Fact]
    public async Task Resolve_ThreeDeactivatedRecordsAndTheActiveOneShareTheIne_TheActiveAccountIsLinked()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, Configured(("ExternalSignIn:MatchOn", "NationalId")));
        var schools = await TestSchools.SeedAsync(app.Services);
        string[] earlier = ["pupil.a1", "pupil.a2", "pupil.b1"];
        foreach (var login in earlier.Append("pupil.b2"))
        {
            await AddIneAsync(app, schools, login, "333333333CC");
        }

        await using var scope = app.Services.CreateAsyncScope();
        var data = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var deactivated = earlier.Select(l => schools.People[l]).ToList();
        await data.ImportedPeople.Where(r => deactivated.Contains(r.PersonId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DeactivatedAt, DateTimeOffset.UtcNow));

        var (outcome, account) = await scope.ServiceProvider.GetRequiredService<ExternalAccounts>()
            .ResolveAsync("https://idp.test/", "sub-moved", "333333333CC", CancellationToken.None);

        Assert.Equal(ExternalOutcome.Linked, outcome);
        Assert.Equal(schools.People["pupil.b2"], account?.PersonId);
    }

    [Fact]
    public async Task Resolve_AccountAlreadyLinkedToAnotherSubject_AmbiguousNotHijacked()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, Configured());
        var schools = await TestSchools.SeedAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var data = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        data.ExternalIdentities.Add(new ExternalIdentity
        {
            Provider = "https://idp.test/", Subject = "the-real-pupil", PersonId = schools.People["pupil.a1"], LinkedAt = DateTimeOffset.UtcNow,
        });
        await data.SaveChangesAsync();
        var accounts = scope.ServiceProvider.GetRequiredService<ExternalAccounts>();

        var stranger = await accounts.ResolveAsync("https://idp.test/", "someone-else", "pupil.a1", CancellationToken.None);
        var unknown = await accounts.ResolveAsync("https://idp.test/", "nobody", null, CancellationToken.None);
        var owner = await accounts.ResolveAsync("https://idp.test/", "the-real-pupil", "whatever", CancellationToken.None);

        Assert.Equal(ExternalOutcome.Ambiguous, stranger.Outcome);
        Assert.Equal(ExternalOutcome.NoMatch, unknown.Outcome);
        Assert.Equal(ExternalOutcome.SignedIn, owner.Outcome);
        Assert.Equal(schools.People["pupil.a1"], owner.Account?.PersonId);
    }

    [Fact]
    public async Task Resolve_DeactivatedPupil_RefusedWhetherLinkedOrNot()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, Configured(("ExternalSignIn:MatchOn", "NationalId")));
        var schools = await TestSchools.SeedAsync(app.Services);
        await AddIneAsync(app, schools, "pupil.a1", "222222222BB");
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ExternalAccounts>();
        var linked = await accounts.ResolveAsync("https://idp.test/", "sub-a1", "222222222BB", CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<PreauDbContext>().ImportedPeople
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DeactivatedAt, DateTimeOffset.UtcNow));

        var again = await accounts.ResolveAsync("https://idp.test/", "sub-a1", "222222222BB", CancellationToken.None);
        var firstTime = await accounts.ResolveAsync("https://idp.test/", "another-sub", "222222222BB", CancellationToken.None);

        Assert.Equal(ExternalOutcome.Linked, linked.Outcome);
        Assert.Equal(ExternalOutcome.Deactivated, again.Outcome);
        Assert.Null(again.Account);
        Assert.Equal(ExternalOutcome.Deactivated, firstTime.Outcome);
        Assert.Null(firstTime.Account);
    }

    [Fact]
    public async Task OutcomePage_LinkedWhileSignedOut_RedirectsToSignIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, Configured());
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var linked = await client.GetAsync("/connexion/externe/relie");
        var failed = await client.GetAsync("/connexion/externe/erreur");

        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        Assert.Contains("Vous n'êtes pas connecté", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AddIneAsync(PreauAppFactory app, TestSchools schools, string login, string ine)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var data = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        data.ImportedPeople.Add(new ImportedPerson { PersonId = schools.People[login], SchoolId = schools.Schools["a"], NationalId = ine });
        await data.SaveChangesAsync();
    }
}
