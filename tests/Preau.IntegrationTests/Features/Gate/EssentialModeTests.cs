using System.Net;
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
}
