using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.FirstDay;

/// <summary>Teacher and calendar pages as a newcomer uses them.</summary>
public sealed class FirstDayPagesTests
{
    [Fact]
    public async Task HomeworkList_AuthorTeacher_SeesHowManyPupilsTickedAndDeleteAsksFirst()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools, title: "Réciter la table de 7", due: Due);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        (await pupil.PostAsync(new Uri($"/api/v1/homework/{id}/done", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var html = await teacher.GetStringAsync(ListPage(Due));

        Assert.Contains("1 élève sur 1", html, StringComparison.Ordinal);
        Assert.Contains("<summary>Supprimer…</summary>", html, StringComparison.Ordinal);
        Assert.Contains("Oui, supprimer", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarAddress_Created_RedirectsAndStaysShown()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var created = await FormPost.SubmitAsync(pupil, "/compte/agenda", new Dictionary<string, string>(), "Create");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/compte#agenda", created.Headers.Location?.OriginalString);
        // A reload creates nothing: the same address is shown again (#10, kept encrypted).
        var first = await pupil.GetStringAsync(new Uri("/compte", UriKind.Relative));
        var reload = await pupil.GetStringAsync(new Uri("/compte", UriKind.Relative));
        var shown = System.Text.RegularExpressions.Regex.Match(first, "/ical/[A-Za-z0-9_-]+\\.ics");
        Assert.True(shown.Success);
        Assert.Contains(shown.Value, reload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timetable_OnSaturday_OpensOnTheComingWeek()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db);
        // Saturday 5 December 2026, 10:00 in Paris.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        await TestSchools.SeedAsync(app.Services);
        using var pupil = app.CreateClient();
        await TestSchools.LoginAsync(pupil, "pupil.a1");

        var html = await pupil.GetStringAsync(new Uri("/emploi-du-temps", UriKind.Relative));

        Assert.Contains("Lundi 7 décembre", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Lundi 30 novembre", html, StringComparison.Ordinal);
    }

    private static Uri ListPage(DateOnly day) => new($"/devoirs?du={day.AddDays(-1):yyyy-MM-dd}", UriKind.Relative);
}
