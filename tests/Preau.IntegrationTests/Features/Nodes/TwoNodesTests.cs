using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data.Timetable;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Nodes;

/// <summary>
/// Two nodes of a region on the real PostgreSQL and Redis (#14): what is written through one is read
/// through the other (a load balancer sends each request anywhere), the cookie made by one is read
/// by the other, the gate is one queue, and a node that loses Redis stays correct.
/// </summary>
public sealed class TwoNodesTests
{
    private static DateOnly NextMonday
    {
        get
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            return today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7));
        }
    }

    [Fact]
    public async Task Homework_PostedEditedTickedDeletedOnA_SeenOnB()
    {
        await using var nodes = TwoNodes.Start();
        var schools = await TestSchools.SeedAsync(nodes.A.Services);
        using var teacher = nodes.NewVisitor();
        using var pupil = nodes.NewVisitor();
        await TestSchools.LoginAsync(teacher.OnA, "teacher.a1");
        await TestSchools.LoginAsync(pupil.OnA, "pupil.a1");
        // B has read (and cached) the pupil's empty week before anything is written.
        Assert.Empty(await ListAsync(pupil.OnB));

        var posted = await teacher.OnA.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative),
            new { title = "Exercice 7", body = "Page 12.", subjectId = schools.Subjects["maths"], dueDate = Due, estimatedMinutes = 20 });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True(await TwoNodes.EventuallyAsync(async () => (await ListAsync(pupil.OnB)).Length == 1), "B lists what A posted");
        // The author reads the entry through B (it used to answer 404 there).
        Assert.Equal(HttpStatusCode.OK, (await teacher.OnB.GetAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative))).StatusCode);

        var edited = await teacher.OnA.PutAsJsonAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative),
            new { title = "Exercice 8", body = "Page 13.", subjectId = schools.Subjects["maths"], dueDate = Due, estimatedMinutes = 20 });
        Assert.True(edited.IsSuccessStatusCode, $"edit answered {edited.StatusCode}");
        Assert.True(await TwoNodes.EventuallyAsync(async () => (await ListAsync(pupil.OnB)).Single().GetProperty("title").GetString() == "Exercice 8"),
            "B shows the edited title");

        Assert.True((await pupil.OnA.PostAsync(new Uri($"/api/v1/homework/{id}/done", UriKind.Relative), null)).IsSuccessStatusCode);
        Assert.True(await TwoNodes.EventuallyAsync(async () => (await ListAsync(pupil.OnB)).Single().GetProperty("done").GetBoolean()),
            "B shows the tick made on A");

        Assert.True((await teacher.OnA.DeleteAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative))).IsSuccessStatusCode);
        Assert.True(await TwoNodes.EventuallyAsync(async () => (await ListAsync(pupil.OnB)).Length == 0), "B forgets the deleted entry");
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.OnB.GetAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Timetable_RoomChangedOnA_SeenInBsWeekAndCalendarFeed()
    {
        await using var nodes = TwoNodes.Start();
        var schools = await TestSchools.SeedAsync(nodes.A.Services);
        var lesson = await nodes.A.WithDbAsync(async db =>
        {
            var maths = new TimetableLesson
            {
                SchoolId = schools.Schools["a"], GroupId = schools.Classes["a1"], SubjectId = schools.Subjects["maths"],
                TeacherId = schools.People["teacher.a1"], Room = "B12", Day = DayOfWeek.Monday, Start = new TimeOnly(8, 0),
                End = new TimeOnly(9, 0), Weeks = WeekParity.Every,
            };
            db.TimetableLessons.Add(maths);
            await db.SaveChangesAsync();
            return maths.Id;
        });
        using var pupil = nodes.NewVisitor();
        using var staff = nodes.NewVisitor();
        await TestSchools.LoginAsync(pupil.OnA, "pupil.a1");
        await TestSchools.LoginAsync(staff.OnA, "staff.a");
        var created = await pupil.OnA.PostAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var feed = new Uri((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!).PathAndQuery;
        // B caches the week and the feed as they are before the change.
        Assert.Equal("B12", (await MondayAsync(pupil.OnB)).GetProperty("room").GetString());
        Assert.Contains("LOCATION:B12", await pupil.OnB.GetStringAsync(new Uri(feed, UriKind.Relative)), StringComparison.Ordinal);

        var change = await staff.OnA.PostAsJsonAsync(new Uri($"/api/v1/timetable/lessons/{lesson}/changes", UriKind.Relative),
            new { date = NextMonday, kind = "roomChange", newRoom = "C03" });
        Assert.Equal(HttpStatusCode.Created, change.StatusCode);

        Assert.True(await TwoNodes.EventuallyAsync(async () => (await MondayAsync(pupil.OnB)).GetProperty("newRoom").GetString() == "C03"),
            "B's week shows the new room");
        Assert.True(await TwoNodes.EventuallyAsync(async () =>
            (await pupil.OnB.GetStringAsync(new Uri(feed, UriKind.Relative))).Contains("LOCATION:C03", StringComparison.Ordinal)),
            "B's calendar feed shows the new room");

        // Revoked through A: B stops serving the address it had in memory.
        Assert.True((await pupil.OnA.DeleteAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative))).IsSuccessStatusCode);
        Assert.True(await TwoNodes.EventuallyAsync(async () =>
            (await pupil.OnB.GetAsync(new Uri(feed, UriKind.Relative))).StatusCode == HttpStatusCode.NotFound), "B refuses the revoked address");
    }

    [Fact]
    public async Task SignIn_CookieMadeByA_AcceptedByBAndSignOutSeenByA()
    {
        await using var nodes = TwoNodes.Start();
        await TestSchools.SeedAsync(nodes.A.Services);
        using var pupil = nodes.NewVisitor();

        await TestSchools.LoginAsync(pupil.OnA, "pupil.a1");

        Assert.Equal(HttpStatusCode.OK, (await pupil.OnB.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        // The key ring both nodes read is in the database, not in a node's directory.
        var keys = await nodes.A.WithDbAsync(db => db.DataProtectionKeys.CountAsync());
        Assert.True(keys >= 1, "the key ring is stored in the database");
    }

    [Fact]
    public async Task Gate_QueuedVisitor_SamePositionOnBothNodes()
    {
        await using var nodes = TwoNodes.Start(new Dictionary<string, string?>
        {
            ["Gate:MaxActiveUsers"] = "1",
            ["Gate:InitialAdmissionsPerSecond"] = "100",
            ["Gate:FairStartWindow"] = "00:00:00",
        });
        using var first = nodes.NewVisitor();
        using var second = nodes.NewVisitor();
        using var third = nodes.NewVisitor();

        await EnterAsync(first.OnA);
        await EnterAsync(second.OnB);
        await EnterAsync(third.OnA);

        var onA = await StatusAsync(third.OnA);
        var onB = await StatusAsync(third.OnB);
        Assert.Equal("queued", onA.GetProperty("state").GetString());
        Assert.Equal("queued", onB.GetProperty("state").GetString());
        Assert.Equal(2, onA.GetProperty("position").GetInt64());
        Assert.Equal(onA.GetProperty("position").GetInt64(), onB.GetProperty("position").GetInt64());
    }

    [Fact]
    public async Task Homework_NodeWithoutRedis_StillServesEveryWriteAtOnce()
    {
        // B's Redis is a port where nothing listens: it cannot hear A, so it must not trust its memory.
        await using var nodes = TwoNodes.Start(settingsB: new Dictionary<string, string?>
        {
            ["Gate:Redis"] = "127.0.0.1:1,connectTimeout=200",
            ["Cluster:Redis"] = "127.0.0.1:1,connectTimeout=200",
        });
        var schools = await TestSchools.SeedAsync(nodes.A.Services);
        using var pupil = nodes.NewVisitor();
        await TestSchools.LoginAsync(pupil.OnA, "pupil.a1");
        Assert.Empty(await ListAsync(pupil.OnB));
        var page = await pupil.OnB.GetAsync(new Uri("/devoirs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        await PostAsync(nodes.A, schools, title: "Premier");
        Assert.Single(await ListAsync(pupil.OnB));
        await PostAsync(nodes.A, schools, title: "Second");
        Assert.Equal(2, (await ListAsync(pupil.OnB)).Length);
        Assert.Contains("Second", await pupil.OnB.GetStringAsync(new Uri("/devoirs", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeptForm_PostedOnAAfterSessionLoss_ComesBackOnB()
    {
        await using var nodes = TwoNodes.Start();
        var schools = await TestSchools.SeedAsync(nodes.A.Services);
        var id = await PostAsync(nodes.A, schools);
        using var browser = nodes.NewVisitor();
        var edit = new Uri($"/devoirs/{id}/modifier", UriKind.Relative);
        using var typed = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Title"] = "Texte tapé sur A", ["Input.Type"] = "homework" });

        var kept = await browser.OnA.PostAsync(edit, typed);
        Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
        await TestSchools.LoginAsync(browser.OnB, "teacher.a1");
        var page = await browser.OnB.GetStringAsync(edit);

        Assert.Contains("Texte tapé sur A", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Homework_RedisStoppedThenRestarted_BStaysRightThroughout()
    {
        using var redis = PrivateRedis.Start();
        await using var nodes = TwoNodes.Start(new Dictionary<string, string?> { ["Cluster:Redis"] = redis.ConnectionString });
        var schools = await TestSchools.SeedAsync(nodes.A.Services);
        using var pupil = nodes.NewVisitor();
        await TestSchools.LoginAsync(pupil.OnA, "pupil.a1");
        Assert.Empty(await ListAsync(pupil.OnB));
        var busOfB = nodes.B.Services.GetRequiredService<CacheBus>();
        Assert.True(busOfB.CachesUsable);

        // Redis goes away: B can no longer hear A, and must not serve what it remembers.
        redis.Stop();
        await PostAsync(nodes.A, schools, title: "Pendant la panne");
        Assert.True(await TwoNodes.EventuallyAsync(async () => (await ListAsync(pupil.OnB)).Length == 1), "B reads the database while deaf");

        // Redis comes back (empty): B flushes, listens again, and still sees every write.
        redis.Restart();
        Assert.True(await TwoNodes.EventuallyAsync(() => Task.FromResult(busOfB.CachesUsable), TimeSpan.FromSeconds(60)),
            "B listens again once Redis is back");
        await PostAsync(nodes.A, schools, title: "Après la panne");
        Assert.True(await TwoNodes.EventuallyAsync(async () => (await ListAsync(pupil.OnB)).Length == 2), "B sees the write after Redis is back");
        await PostAsync(nodes.A, schools, title: "Encore après");
        Assert.True(await TwoNodes.EventuallyAsync(async () => (await ListAsync(pupil.OnB)).Length == 3), "and the next one");
    }

    private static async Task<JsonElement> MondayAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri($"/api/v1/timetable?from={NextMonday:yyyy-MM-dd}&to={NextMonday.AddDays(6):yyyy-MM-dd}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("lessons").EnumerateArray().Single(l => l.GetProperty("date").GetString() == $"{NextMonday:yyyy-MM-dd}");
    }

    /// <summary>A returning browser: the first call brings a ticket, the second takes a place with it.</summary>
    private static async Task EnterAsync(HttpClient client)
    {
        await client.GetAsync(new Uri("/api/v1/gate/status", UriKind.Relative));
        await client.GetAsync(new Uri("/", UriKind.Relative));
    }

    private static Task<JsonElement> StatusAsync(HttpClient client) =>
        client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/gate/status", UriKind.Relative));
}
