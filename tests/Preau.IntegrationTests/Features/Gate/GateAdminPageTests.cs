using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Preau.Gate;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Gate;

public sealed class GateAdminPageTests
{
    private static readonly WebApplicationFactoryClientOptions s_noRedirect = new() { AllowAutoRedirect = false };

    /// <summary>The fields of the page's limits form, as a browser posts them.</summary>
    internal static Dictionary<string, string> LimitsForm(bool enabled, int maxActiveUsers, string admissionsPerSecond, int idleMinutes) => new()
    {
        ["Form.Enabled"] = enabled ? "true" : "false",
        ["Form.MaxActiveUsers"] = maxActiveUsers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Form.MaxAdmissionsPerSecond"] = admissionsPerSecond,
        ["Form.IdleMinutes"] = idleMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Post_RegionAdmin_ChangesLiveLimitsWithoutRestart()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient(s_noRedirect);
        await TestSchools.LoginAsync(client, "regionadmin");

        var page = await client.GetStringAsync(new Uri("/admin/portail", UriKind.Relative));
        var response = await FormPost.SubmitAsync(client, "/admin/portail", LimitsForm(true, 750, "12.5", 15));

        Assert.Contains("Portail d'accès", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var limits = app.Services.GetRequiredService<GateLimits>().Current;
        Assert.Equal(750, limits.MaxActiveUsers);
        Assert.Equal(12.5, limits.MaxAdmissionsPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(15), limits.IdleTimeout);
        // figures in French whatever the server's culture: a decimal comma
        Assert.Contains("(plafond 12,5)", await client.GetStringAsync(new Uri("/admin/portail", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RegionAdmin_ShowsDecisionsPromisesAndFrenchLanesWithoutAutoRefreshOrEmptyErrorBox()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient(s_noRedirect);
        await TestSchools.LoginAsync(client, "regionadmin");

        var page = await client.GetStringAsync(new Uri("/admin/portail", UriKind.Relative));

        Assert.DoesNotContain("http-equiv=\"refresh\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("validation-summary", page, StringComparison.Ordinal);
        Assert.Contains("Élèves", page, StringComparison.Ordinal);
        Assert.Contains("Personnels", page, StringComparison.Ordinal);
        Assert.Contains("Dernières décisions du régulateur", page, StringComparison.Ordinal);
        Assert.Contains("Promesses tenues", page, StringComparison.Ordinal);
        Assert.Contains("pas encore assez de départs mesurés", page, StringComparison.Ordinal); // nobody has left yet
    }

    [Fact]
    public async Task Post_InvalidLimit_ShowsFrenchErrorAndKeepsLimits()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient(s_noRedirect);
        await TestSchools.LoginAsync(client, "regionadmin");
        var before = app.Services.GetRequiredService<GateLimits>().Current.MaxActiveUsers;

        var response = await FormPost.SubmitAsync(client, "/admin/portail", LimitsForm(true, 0, "10", 20));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("doit être compris entre 1 et 10", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, app.Services.GetRequiredService<GateLimits>().Current.MaxActiveUsers);
    }

    [Theory]
    [InlineData("schooladmin.a")]
    [InlineData("staff.a")]
    [InlineData("teacher.a1")]
    [InlineData("parent.a1")]
    [InlineData("pupil.a1")]
    public async Task Get_NotRegionAdmin_IsForbidden(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient(s_noRedirect);
        await TestSchools.LoginAsync(client, login);

        var response = await client.GetAsync(new Uri("/admin/portail", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Get_Anonymous_RedirectsToLogin()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(s_noRedirect);

        var response = await client.GetAsync(new Uri("/admin/portail", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}
