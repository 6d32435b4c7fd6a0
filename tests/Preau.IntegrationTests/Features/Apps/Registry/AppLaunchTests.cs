using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Apps.Registry;

/// <summary>Issue 16: the home page lists the apps a person may open, and the link re-checks before leaving Préau.</summary>
public sealed class AppLaunchTests
{
    [Fact]
    public async Task Home_PupilAllowed_ListsAppAndLaunchRedirectsToLaunchUrl()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, launchUrl: "https://manuels.example.org/ouvrir?ent=preau");
        using var pupil = await AppRegistryPageTests.SignedInAsync(app, "pupil.a1");

        var home = await pupil.GetStringAsync(new Uri("/", UriKind.Relative));
        var launch = await pupil.GetAsync($"/applications/{id}/ouvrir");

        Assert.Contains("Mes applications", home, StringComparison.Ordinal);
        Assert.Contains($"href=\"/applications/{id}/ouvrir\"", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        Assert.Equal("https://manuels.example.org/ouvrir?ent=preau", launch.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Home_Parent_SeesAppsOpenToParentsOnly()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var forParents = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Portail famille", profiles: "Parent");
        var forPupils = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Manuels élèves", profiles: "Pupil");
        using var parent = await AppRegistryPageTests.SignedInAsync(app, "parent.a1");

        var home = await parent.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Portail famille", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Manuels élèves", WebUtility.HtmlDecode(home), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await parent.GetAsync($"/applications/{forParents}/ouvrir")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await parent.GetAsync($"/applications/{forPupils}/ouvrir")).StatusCode);
    }

    [Fact]
    public async Task Launch_WrongProfileDisabledOtherRegionOrUnknown_FrenchNotFound()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var teachersOnly = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Outil des professeurs", profiles: "Teacher");
        var disabled = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Ancien service", enabled: false);
        var otherRegion = await AppsTestData.SeedAppAsync(app.Services, Guid.NewGuid(), name: "Service d'ailleurs");
        using var pupil = await AppRegistryPageTests.SignedInAsync(app, "pupil.a1");

        var home = WebUtility.HtmlDecode(await pupil.GetStringAsync(new Uri("/", UriKind.Relative)));
        foreach (var id in new[] { teachersOnly, disabled, otherRegion, Guid.NewGuid() })
        {
            var launch = await pupil.GetAsync($"/applications/{id}/ouvrir");
            Assert.Equal(HttpStatusCode.NotFound, launch.StatusCode);
            Assert.Contains("n'existe pas", WebUtility.HtmlDecode(await launch.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Mes applications", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Outil des professeurs", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Ancien service", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Service d'ailleurs", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_Anonymous_SentToSignIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });

        var launch = await anonymous.GetAsync($"/applications/{id}/ouvrir");

        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        Assert.StartsWith("/connexion", launch.Headers.Location?.PathAndQuery ?? launch.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_AppDisabledAfterBeingListed_GoneAtOnce()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Manuels numériques");
        using var pupil = await AppRegistryPageTests.SignedInAsync(app, "pupil.a1");
        using var admin = await AppRegistryPageTests.SignedInAsync(app, "regionadmin");
        var before = WebUtility.HtmlDecode(await pupil.GetStringAsync(new Uri("/", UriKind.Relative)));

        await AppRegistryPageTests.SubmitAsync(admin, $"/region/applications/{id}", [new("enabled", "false")], "Enabled");
        var after = WebUtility.HtmlDecode(await pupil.GetStringAsync(new Uri("/", UriKind.Relative)));
        var launch = await pupil.GetAsync($"/applications/{id}/ouvrir");

        Assert.Contains("Manuels numériques", before, StringComparison.Ordinal);
        Assert.DoesNotContain("Manuels numériques", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, launch.StatusCode);
    }

    [Fact]
    public async Task Home_SecondPersonOfTheRegion_ListServedFromMemory()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        using var pupil = await AppRegistryPageTests.SignedInAsync(app, "pupil.a1");
        using var other = await AppRegistryPageTests.SignedInAsync(app, "parent.a1");
        await pupil.GetStringAsync(new Uri("/", UriKind.Relative));

        // Another person of the region, then the same one again: the region's list comes from memory.
        await app.WithDbAsync(async d => await d.ConnectedApps.ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, "Renommé en base")));
        var parentHome = WebUtility.HtmlDecode(await other.GetStringAsync(new Uri("/", UriKind.Relative)));

        Assert.Contains("Manuels numériques", parentHome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiApps_Pupil_OnlyEnabledAppsOfTheRegionOpenToPupils()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var open = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Manuels numériques");
        await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Outil des professeurs", profiles: "Teacher");
        await AppsTestData.SeedAppAsync(app.Services, schools.RegionId, name: "Ancien service", enabled: false);
        await AppsTestData.SeedAppAsync(app.Services, Guid.NewGuid(), name: "Service d'ailleurs");
        using var pupil = await AppRegistryPageTests.SignedInAsync(app, "pupil.a1");
        using var teacher = await AppRegistryPageTests.SignedInAsync(app, "teacher.a1");

        var apps = await pupil.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/apps", UriKind.Relative));
        var teachers = await teacher.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/apps", UriKind.Relative));

        var only = Assert.Single(apps.EnumerateArray());
        Assert.Equal(open, only.GetProperty("id").GetGuid());
        Assert.Equal("Manuels numériques", only.GetProperty("name").GetString());
        Assert.Equal($"/applications/{open}/ouvrir", only.GetProperty("launchLink").GetString());
        Assert.Equal("Outil des professeurs", Assert.Single(teachers.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ApiApps_Anonymous_FrenchProblem401()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var anonymous = app.CreateClient();

        var problem = await (await anonymous.GetAsync("/api/v1/apps")).AssertProblemAsync(401);

        Assert.Equal("Connexion nécessaire", problem.GetProperty("title").GetString());
    }
}
