using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Preau.Gate;
using Preau.IntegrationTests.Features.Homework;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Gate;

/// <summary>Essential mode: a queued user with a session still reads this week's homework.</summary>
public sealed class EssentialModeTests
{
    private static readonly Dictionary<string, string?> s_oneSeat = new()
    {
        ["Gate:MaxActiveUsers"] = "1",
        ["Gate:InitialAdmissionsPerSecond"] = "100",
        ["Gate:FairStartWindow"] = "00:00:00",
    };

    [Fact]
    public async Task HomeworkList_QueuedPupil_IsServedFromCacheWithoutAdmission()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        var schools = await TestSchools.SeedAsync(app.Services);
        await HomeworkTestClient.PostAsync(app, schools, title: "Lire le chapitre 4"); // the teacher takes the only seat
        using var pupil = await HomeworkTestClient.SignedInAsync(app, "pupil.a1");

        var me = await pupil.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        var first = await HomeworkTestClient.ListAsync(pupil);
        using var counter = new QueryCounter(db.DataDirectory);
        var again = await HomeworkTestClient.ListAsync(pupil);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, me.StatusCode); // still queued for everything else
        Assert.Equal("Lire le chapitre 4", Assert.Single(first).GetProperty("title").GetString());
        Assert.Single(again);
        Assert.Empty(counter.BesidesSessions);
        Assert.Equal(1, counter.SessionReads);
    }

    [Fact]
    public async Task WaitingPage_QueuedSignedInUser_OffersHomeworkAndTimetable()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        var schools = await TestSchools.SeedAsync(app.Services);
        await HomeworkTestClient.PostAsync(app, schools);
        using var pupil = await HomeworkTestClient.SignedInAsync(app, "pupil.a1");

        var waiting = await pupil.GetAsync(new Uri("/", UriKind.Relative));
        var html = await waiting.Content.ReadAsStringAsync();
        var homeworkPage = await pupil.GetAsync(new Uri("/devoirs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.Contains("href=\"/devoirs\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/emploi-du-temps\"", html, StringComparison.Ordinal);
        Assert.True(html.Length <= 5 * 1024, "the waiting page stays under 5 KB with the links");
        Assert.Equal(HttpStatusCode.OK, homeworkPage.StatusCode);
    }

    [Fact]
    public async Task Homework_AnonymousVisitorWhenFull_IsSentToSignInWithoutWaiting()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        var schools = await TestSchools.SeedAsync(app.Services);
        await HomeworkTestClient.PostAsync(app, schools);
        using var visitor = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await visitor.GetAsync(new Uri("/devoirs", UriKind.Relative));

        // a page that needs an account sends to the sign-in lane: queuing first would make them wait twice
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatePage_RegionAdminQueuedBehindFullPlaces_SeesItAndRaisesThePlacesThenIsLetIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        var schools = await TestSchools.SeedAsync(app.Services);
        await HomeworkTestClient.PostAsync(app, schools); // the teacher takes the only place
        using var admin = await HomeworkTestClient.SignedInAsync(app, "regionadmin");

        var waiting = await admin.GetAsync(new Uri("/", UriKind.Relative));
        var waitingHtml = await waiting.Content.ReadAsStringAsync();
        var page = await admin.GetAsync(new Uri("/admin/portail", UriKind.Relative));
        var raised = await FormPost.SubmitAsync(admin, "/admin/portail", GateAdminPageTests.LimitsForm(true, 50, "100", 20));
        var home = await admin.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.Contains("href=\"/admin/portail\"", waitingHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/devoirs\"", waitingHtml, StringComparison.Ordinal); // pages a region administrator does not have
        Assert.DoesNotContain("href=\"/emploi-du-temps\"", waitingHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Portail d'accès", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, raised.StatusCode);
        Assert.Equal(50, app.Services.GetRequiredService<GateLimits>().Current.MaxActiveUsers);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode); // a place is free now: let in
    }

    [Theory]
    [InlineData("pupil.a1")]
    [InlineData("teacher.a2")]
    [InlineData("schooladmin.a")]
    public async Task GatePage_OtherProfilesQueued_NeitherOfferedNorLetThrough(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        var schools = await TestSchools.SeedAsync(app.Services);
        await HomeworkTestClient.PostAsync(app, schools);
        using var client = await HomeworkTestClient.SignedInAsync(app, login);

        var waitingHtml = await (await client.GetAsync(new Uri("/", UriKind.Relative))).Content.ReadAsStringAsync();
        var page = await client.GetAsync(new Uri("/admin/portail", UriKind.Relative));
        var post = await client.PostAsync(new Uri("/admin/portail", UriKind.Relative), new FormUrlEncodedContent(GateAdminPageTests.LimitsForm(false, 1000, "100", 20)));

        Assert.Contains("href=\"/devoirs\"", waitingHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("/admin/portail", waitingHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode); // they wait, as for any other page
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        var limits = app.Services.GetRequiredService<GateLimits>().Current;
        Assert.True(limits.Enabled);
        Assert.Equal(1, limits.MaxActiveUsers);
    }
}
