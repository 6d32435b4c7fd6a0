using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Timetable;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Timetable;

/// <summary>The personal calendar address on the account page (#10) and the feed that calendar apps
/// poll (#11, #12): cached, ETag, no cookie, limited per address, standard iCalendar.</summary>
public sealed partial class CalendarFeedTests
{
    private static readonly Uri s_account = new("/compte", UriKind.Relative);

    /// <summary>Next week's Monday: inside the feed's window and never today.</summary>
    private static DateOnly NextMonday
    {
        get
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            return today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7));
        }
    }

    [GeneratedRegex("/ical/[A-Za-z0-9_-]+\\.ics")]
    private static partial Regex FeedPathPattern();

    /// <summary>Class a1: maths on Monday 8:00 every week, room B12.</summary>
    private static async Task<Guid> SeedMathsAsync(PreauAppFactory app, TestSchools schools)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var maths = new TimetableLesson
        {
            SchoolId = schools.Schools["a"], GroupId = schools.Classes["a1"], SubjectId = schools.Subjects["maths"],
            TeacherId = schools.People["teacher.a1"], Room = "B12", Day = DayOfWeek.Monday, Start = new TimeOnly(8, 0), End = new TimeOnly(9, 0),
            Weeks = WeekParity.Every,
        };
        db.TimetableLessons.Add(maths);
        await db.SaveChangesAsync();
        return maths.Id;
    }

    private static async Task ChangeAsync(PreauAppFactory app, Guid lesson, object change)
    {
        using var staff = await SignedInAsync(app, "staff.a");
        var response = await staff.PostAsJsonAsync(new Uri($"/api/v1/timetable/lessons/{lesson}/changes", UriKind.Relative), change);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Creates the address with the account page's form; returns the feed's path shown there.</summary>
    private static async Task<string> CreateOnPageAsync(HttpClient client)
    {
        var created = await FormPost.SubmitAsync(client, "/compte/agenda", new Dictionary<string, string>(), "Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/compte#agenda", created.Headers.Location?.OriginalString);
        var shown = FeedPathPattern().Match(await client.GetStringAsync(s_account));
        Assert.True(shown.Success, "the account page shows the address");
        return shown.Value;
    }

    private static async Task<string> CreateByApiAsync(HttpClient client)
    {
        var created = await client.PostAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return new Uri((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!).PathAndQuery;
    }

    private static Task<HttpResponseMessage> FetchAsync(HttpClient client, string path, Action<HttpRequestMessage>? prepare = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(path, UriKind.Relative));
        prepare?.Invoke(request);
        return client.SendAsync(request);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task CalendarAddress_CreatedOnAccountPage_ShownAgainAfterReloadAndWorks(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var path = await CreateOnPageAsync(pupil);

        var reload = await pupil.GetStringAsync(s_account);
        Assert.Contains(path, reload, StringComparison.Ordinal);
        Assert.Contains("Révoquer", reload, StringComparison.Ordinal);
        Assert.Contains("Créer une nouvelle adresse", reload, StringComparison.Ordinal);
        Assert.Contains(path, await pupil.GetStringAsync(new Uri("/compte/agenda", UriKind.Relative)), StringComparison.Ordinal);
        using var calendarApp = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(calendarApp, path)).StatusCode);

        // A new address replaces it: the old one stops working, the page shows the new one.
        var second = await CreateOnPageAsync(pupil);
        Assert.NotEqual(path, second);
        Assert.Equal(HttpStatusCode.NotFound, (await FetchAsync(calendarApp, path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(calendarApp, second)).StatusCode);
    }

    [Fact]
    public async Task CalendarAddress_Revoked_FeedAnswers404AndPageShowsNone()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var parent = await SignedInAsync(app, "parent.a1");
        var path = await CreateOnPageAsync(parent);
        using var calendarApp = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(calendarApp, path)).StatusCode);

        var revoked = await FormPost.SubmitAsync(parent, "/compte/agenda", new Dictionary<string, string>(), "Revoke");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await FetchAsync(calendarApp, path)).StatusCode);
        var page = await parent.GetStringAsync(s_account);
        Assert.DoesNotContain("/ical/", page, StringComparison.Ordinal);
        Assert.Contains("Adresse révoquée", page, StringComparison.Ordinal);
        Assert.Contains("Créer mon adresse", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pupil.a2")]
    [InlineData("parent.a1")]
    [InlineData("teacher.a1")]
    [InlineData("pupil.b1")]
    public async Task CalendarAddress_AnotherUserRevokes_OwnerAddressStillWorks(string other)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var path = await CreateOnPageAsync(pupil);
        using var intruder = await SignedInAsync(app, other);

        var page = await FormPost.SubmitAsync(intruder, "/compte/agenda", new Dictionary<string, string>(), "Revoke");
        var api = await intruder.DeleteAsync(new Uri("/api/v1/timetable/feed", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, api.StatusCode);
        using var calendarApp = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(calendarApp, path)).StatusCode);
        Assert.Contains(path, await pupil.GetStringAsync(s_account), StringComparison.Ordinal);
        Assert.DoesNotContain(path, await intruder.GetStringAsync(s_account), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("staff.a")]
    [InlineData("schooladmin.a")]
    [InlineData("regionadmin")]
    public async Task CalendarAddress_ProfileWithoutTimetable_CannotCreate(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);
        Assert.DoesNotContain("Créer mon adresse", await client.GetStringAsync(s_account), StringComparison.Ordinal);

        var response = await FormPost.SubmitAsync(client, "/compte/agenda", new Dictionary<string, string>(), "Create");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PreauDbContext>().CalendarFeeds.AnyAsync());
    }

    [Fact]
    public async Task CalendarAddress_Anonymous_SentToSignIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await anonymous.GetAsync(new Uri("/compte/agenda", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/connexion", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarAddress_CreatedBeforeTheSecretWasKept_AsksToRevokeAndRecreate()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var data = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            data.CalendarFeeds.Add(new CalendarFeed
            {
                PersonId = schools.People["pupil.a1"], TokenHash = new string('0', 64), CreatedAt = new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero),
            });
            await data.SaveChangesAsync();
        }

        using var pupil = await SignedInAsync(app, "pupil.a1");
        var page = await pupil.GetStringAsync(s_account);

        Assert.Contains("créée le 05/10/2026", page, StringComparison.Ordinal);
        Assert.Contains("révoquez-la et créez-en une nouvelle pour la revoir", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/ical/", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task CalendarFeed_TwoFetchesWithoutChange_SameBytesETag304AndNoCookie(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await SeedMathsAsync(app, schools);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var path = await CreateByApiAsync(pupil);
        using var calendarApp = app.CreateClient();

        var first = await FetchAsync(calendarApp, path);
        var second = await FetchAsync(calendarApp, path);
        // A browser that is signed in opens the address too: still no cookie.
        var fromBrowser = await FetchAsync(pupil, path);
        var etag = first.Headers.ETag ?? throw new InvalidOperationException("no ETag");
        var revalidated = await FetchAsync(calendarApp, path, r => r.Headers.IfNoneMatch.Add(etag));
        var stale = await FetchAsync(calendarApp, path, r => r.Headers.TryAddWithoutValidation("If-None-Match", "W/\"autre\""));

        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
        Assert.NotNull(first.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, revalidated.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        foreach (var response in new[] { first, second, fromBrowser, revalidated, stale })
        {
            Assert.False(response.Headers.Contains("Set-Cookie"), "a calendar feed sets no cookie");
        }
    }

    [Fact]
    public async Task CalendarFeed_LessonCancelledThenRoomChanged_NewETagAndGrowingSequence()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var maths = await SeedMathsAsync(app, schools);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var path = await CreateByApiAsync(pupil);
        using var calendarApp = app.CreateClient();
        var uid = $"{maths:N}-{NextMonday:yyyyMMdd}@preau";
        async Task<(Ical.Net.CalendarComponents.CalendarEvent Event, string Text, string ETag)> ReadAsync()
        {
            var response = await FetchAsync(calendarApp, path);
            var text = await response.Content.ReadAsStringAsync();
            var calendar = Ical.Net.Calendar.Load(text) ?? throw new InvalidOperationException("unparsable");
            return (Assert.Single(calendar.Events, e => e.Uid == uid), text, response.Headers.ETag!.Tag);
        }

        var before = await ReadAsync();
        await ChangeAsync(app, maths, new { date = NextMonday, kind = "cancelled" });
        var cancelled = await ReadAsync();
        await ChangeAsync(app, maths, new { date = NextMonday, kind = "roomChange", newRoom = "C03" });
        var moved = await ReadAsync();

        Assert.Equal(0, before.Event.Sequence);
        Assert.Equal("CONFIRMED", before.Event.Status);
        Assert.Equal(1, cancelled.Event.Sequence);
        Assert.Equal("CANCELLED", cancelled.Event.Status);
        Assert.Equal(2, moved.Event.Sequence);
        Assert.Equal("C03", moved.Event.Location);
        Assert.Equal("CONFIRMED", moved.Event.Status);
        Assert.Equal(3, new[] { before.ETag, cancelled.ETag, moved.ETag }.Distinct().Count());
        // Local Paris time with the zone's rules, DTSTAMP and LAST-MODIFIED from the change, not "now".
        Assert.Contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris", moved.Text, StringComparison.Ordinal);
        Assert.Contains($"DTSTART;TZID=Europe/Paris:{NextMonday:yyyyMMdd}T080000", moved.Text, StringComparison.Ordinal);
        Assert.Equal("Europe/Paris", moved.Event.DtStart!.TzId);
        Assert.Equal(moved.Event.DtStamp!.AsUtc, moved.Event.LastModified!.AsUtc);
        Assert.True(moved.Event.LastModified.AsUtc >= before.Event.LastModified!.AsUtc);
    }

    [Fact]
    public async Task CalendarFeed_NoLesson_ValidCalendarWithTimeZoneOnly()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.b2");
        var path = await CreateByApiAsync(teacher);
        using var calendarApp = app.CreateClient();

        var response = await FetchAsync(calendarApp, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("BEGIN:VEVENT", text, StringComparison.Ordinal);
        var calendar = Ical.Net.Calendar.Load(text) ?? throw new InvalidOperationException("unparsable");
        Assert.Equal("Europe/Paris", Assert.Single(calendar.TimeZones).TzId);
    }

    [Fact]
    public async Task CalendarFeed_Head_AnswersLikeGetWithoutBody()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await SeedMathsAsync(app, schools);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var path = await CreateByApiAsync(pupil);
        using var calendarApp = app.CreateClient();

        var get = await FetchAsync(calendarApp, path);
        var head = await FetchAsync(calendarApp, path, method: HttpMethod.Head);
        var unknown = await FetchAsync(calendarApp, "/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/calendar", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task CalendarFeed_GzipAccepted_Compressed()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await SeedMathsAsync(app, schools);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var path = await CreateByApiAsync(pupil);
        using var calendarApp = app.CreateClient();

        var response = await FetchAsync(calendarApp, path, r => r.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
        await using var unzipped = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(unzipped);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarFeed_FloodOfOneAddress_429WithRetryAfterWhileAnotherAddressWorks()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["CalendarFeed:Burst"] = "5",
            ["CalendarFeed:RefillSeconds"] = "600",
        });
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        using var other = await SignedInAsync(app, "pupil.a2");
        var flooded = await CreateByApiAsync(pupil);
        var quiet = await CreateByApiAsync(other);
        using var calendarApp = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 12; i++)
        {
            var response = await FetchAsync(calendarApp, flooded);
            statuses.Add(response.StatusCode);
            refused ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(calendarApp, quiet)).StatusCode);
    }

    [Fact]
    public async Task CalendarFeed_GateFull_ServedWithoutQueueNorCookie()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["Gate:MaxActiveUsers"] = "1",
            ["Gate:InitialAdmissionsPerSecond"] = "100",
            ["Gate:FairStartWindow"] = "00:00:00",
        });
        await TestSchools.SeedAsync(app.Services);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var path = await CreateByApiAsync(pupil);
        // Two visitors for the one place (the pupil may hold it already): someone is shown the waiting page.
        var statuses = new List<HttpStatusCode>();
        foreach (var visitor in new[] { app.CreateClient(), app.CreateClient() })
        {
            using (visitor)
            {
                await visitor.GetAsync(new Uri("/api/v1/gate/status", UriKind.Relative));
                statuses.Add((await visitor.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
            }
        }

        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        using var calendarApp = app.CreateClient();

        for (var poll = 0; poll < 3; poll++)
        {
            var response = await FetchAsync(calendarApp, path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("Set-Cookie"), "no gate ticket, no antiforgery, no session cookie");
        }
    }

    /// <summary>#12: two independent parsers (Debian's python3-icalendar, npm's node-ical, installed by
    /// .ci/services.sh) read a pupil's real week: events in Europe/Paris, the cancelled lesson.</summary>
    [Fact]
    public async Task CalendarFeed_ThirdPartyParsers_ReadEventsTimeZoneAndCancelledLesson()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var maths = await SeedMathsAsync(app, schools);
        await ChangeAsync(app, maths, new { date = NextMonday, kind = "cancelled" });
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var path = await CreateByApiAsync(pupil);
        using var calendarApp = app.CreateClient();
        var feed = await (await FetchAsync(calendarApp, path)).Content.ReadAsStringAsync();
        var expectedUtc = TimeZoneInfo.ConvertTimeToUtc(NextMonday.ToDateTime(new TimeOnly(8, 0)),
            TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));

        var bench = Path.Combine(RepositoryRoot(), "bench", "ical");
        var nodeModules = Environment.GetEnvironmentVariable("PREAU_TEST_NODE_MODULES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "preau", "node-ical-0.27.2", "node_modules");

        var python = await RunAsync("/usr/bin/python3", [Path.Combine(bench, "check-python.py")], feed, null);
        var node = await RunAsync("node", [Path.Combine(bench, "check-node.js")], feed, nodeModules);

        foreach (var summary in new[] { python, node })
        {
            var read = JsonDocument.Parse(summary).RootElement;
            Assert.Equal("Europe/Paris", read.GetProperty("timeZone").GetString());
            Assert.True(read.GetProperty("events").GetInt32() >= 5, summary);
            var cancelled = Assert.Single(read.GetProperty("cancelled").EnumerateArray());
            Assert.Equal($"{expectedUtc:yyyy-MM-ddTHH:mm:ss}", cancelled.GetProperty("startUtc").GetString());
            Assert.Equal(1, cancelled.GetProperty("sequence").GetInt32());
        }
    }

    /// <summary>The checks live in bench/ical so that bench/schoollife-validate-ical.sh runs the same ones.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Preau.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Preau.slnx not found above the test assembly.");
    }

    /// <summary>Runs a parser with the feed on its standard input; fails the test with its error output.</summary>
    private static async Task<string> RunAsync(string program, string[] args, string input, string? nodePath)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (nodePath is not null)
        {
            start.Environment["NODE_PATH"] = nodePath;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} failed: {await error}");
        return await output;
    }
}
