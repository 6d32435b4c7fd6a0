using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.Testing;
using Preau.Data.Timetable;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.PeopleDirectory;

/// <summary>
/// Every endpoint and page, asked by the right person and by the wrong profile, class, child and
/// school, each refusal with its one status code:
/// 401 (API) or a redirect to sign-in (page) without a session; 403 when the role gate refuses the
/// profile, or when a list is narrowed (studentId, classId) to what is not yours, or a write names a
/// class you do not teach or a recipient the rules refuse; 404 when a resource named in the path is
/// not yours to see (unknown and forbidden look alike, so ids of another school cannot be probed);
/// 400 when a body field points at something you cannot see (a draft's replyToId).
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private const string Anonymous = "";

    private sealed record Row(string Login, string Method, string Path, object? Body, HttpStatusCode Expected, string Why);

    private sealed class World(PreauAppFactory app, TestSchools schools) : IDisposable
    {
        private readonly Dictionary<string, HttpClient> _clients = [];

        public TestSchools S { get; } = schools;
        public Guid Entry { get; set; }
        public Guid News { get; set; }
        public Guid Message { get; set; }
        public Guid Draft { get; set; }
        public Guid Lesson { get; set; }
        public string FeedPath { get; set; } = "";

        public Guid Class(string key) => S.Classes[key];
        public Guid Person(string login) => S.People[login];
        public Guid School(string key) => S.Schools[key];

        public async Task<HttpClient> ClientAsync(string login)
        {
            if (!_clients.TryGetValue(login, out var client))
            {
                // Redirects are part of what is checked (a page sends the anonymous to sign in).
                client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
                if (login != Anonymous)
                {
                    await TestSchools.LoginAsync(client, login);
                }

                _clients[login] = client;
            }

            return client;
        }

        public void Dispose()
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task EveryEndpointAndPage_WrongProfileClassChildOrSchool_RefusedWithItsOneStatus(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        using var w = new World(app, await TestSchools.SeedAsync(app.Services));
        await SeedResourcesAsync(app, w);

        var failures = new List<string>();
        foreach (var row in Rows(w))
        {
            var client = await w.ClientAsync(row.Login);
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), new Uri(row.Path, UriKind.Relative));
            if (row.Body is not null)
            {
                request.Content = JsonContent.Create(row.Body);
            }

            using var response = await client.SendAsync(request);
            if (response.StatusCode != row.Expected)
            {
                failures.Add($"{row.Login,-14} {row.Method,-6} {row.Path} → {(int)response.StatusCode}, expected {(int)row.Expected} ({row.Why})");
            }
            else if (row.Path.StartsWith("/api/", StringComparison.Ordinal) && (int)row.Expected >= 400)
            {
                // Every API refusal is a ProblemDetails.
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task TimelineAndNews_OtherClassOrSchool_SeeNothingOfTheClassAnnouncement(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        using var w = new World(app, await TestSchools.SeedAsync(app.Services));
        await SeedResourcesAsync(app, w);
        var link = $"/actualites/{w.News}";

        foreach (var (login, sees) in new[] { ("pupil.a1", true), ("pupil.a2", false), ("pupil.b1", false), ("parent.a1", false), ("staff.b", false) })
        {
            var client = await w.ClientAsync(login);
            var feed = await client.GetFromJsonAsync<JsonElement>("/api/v1/timeline");
            var news = await client.GetFromJsonAsync<JsonElement>("/api/v1/news");
            Assert.True(sees == feed.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("link").GetString() == link), $"{login} timeline");
            Assert.True(sees == news.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == w.News), $"{login} news");
        }
    }

    [Fact]
    public async Task NotebookPageHandlers_WrongProfile_Forbidden()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var w = new World(app, await TestSchools.SeedAsync(app.Services));
        await SeedResourcesAsync(app, w);
        var entry = new Dictionary<string, string> { ["entryId"] = w.Entry.ToString(), ["done"] = "true" };

        // A teacher cannot tick, a pupil cannot delete: the handler's own gate, before it runs.
        var tick = await FormPost.SubmitAsync(await w.ClientAsync("teacher.a1"), "/devoirs?handler=Done", entry);
        var delete = await FormPost.SubmitAsync(await w.ClientAsync("pupil.a1"), "/devoirs?handler=Delete", entry);

        Assert.Equal(HttpStatusCode.Forbidden, tick.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await w.ClientAsync("pupil.a1")).GetAsync($"/api/v1/homework/{w.Entry}")).StatusCode);
        var ticked = await FormPost.SubmitAsync(await w.ClientAsync("pupil.a1"), "/devoirs?handler=Done", entry);
        Assert.Equal(HttpStatusCode.Redirect, ticked.StatusCode);
    }

    [Fact]
    public async Task AccountPageForget_SomeoneElsesDevice_SameOrOtherSchool_NotFoundAndDeviceKept()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var w = new World(app, await TestSchools.SeedAsync(app.Services));
        using var phone = app.CreateClient();
        var remembered = await phone.PostJsonAsync("/api/v1/auth/login", new { login = "teacher.a1", password = TestSchools.Password, remember = true });
        remembered.EnsureSuccessStatusCode();
        var owner = w.Person("teacher.a1");
        var device = await app.WithDbAsync(d => d.RememberedDevices.Where(r => r.PersonId == owner).Select(r => r.Id).SingleAsync());

        // Same school, other school, and a parent: the id of another person's device is unknown to them.
        foreach (var login in new[] { "teacher.a2", "teacher.b1", "parent.b1" })
        {
            var forget = await FormPost.SubmitAsync(await w.ClientAsync(login), "/compte?handler=Forget",
                new Dictionary<string, string> { ["id"] = device.ToString() });
            Assert.Equal(HttpStatusCode.NotFound, forget.StatusCode);
        }

        Assert.Equal(1, await app.WithDbAsync(d => d.RememberedDevices.CountAsync(r => r.Id == device)));
        (await phone.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await phone.PostJsonAsync("/api/v1/auth/device", new { })).StatusCode);
    }

    [Theory]
    [InlineData("pupil.a2", "another family of the same school")]
    [InlineData("pupil.b1", "a pupil of another school")]
    public async Task ParentChildChoice_NotTheirChild_RefusedNeitherRememberedNorCarriedInTheMenu(string otherPupil, string why)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var w = new World(app, await TestSchools.SeedAsync(app.Services));
        var parent = await w.ClientAsync("parent.a1");
        var foreign = w.Person(otherPupil).ToString();

        foreach (var page in new[] { "/devoirs", "/emploi-du-temps" })
        {
            var refused = await parent.GetAsync(new Uri($"{page}?eleve={foreign}", UriKind.Relative));
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{page} {why}");
            Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.Contains(foreign, StringComparison.Ordinal));
            Assert.DoesNotContain(foreign, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var next = await parent.GetAsync(new Uri("/fil", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.DoesNotContain(foreign, await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeptForm_RestoredOnlyWhereTheNewSessionMayGo_OtherTeacherOrSchoolOrProfileRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var w = new World(app, await TestSchools.SeedAsync(app.Services));
        await SeedResourcesAsync(app, w);
        var edit = $"/devoirs/{w.Entry}/modifier";

        foreach (var (login, expected) in new[] { ("teacher.a2", HttpStatusCode.NotFound), ("teacher.b1", HttpStatusCode.NotFound), ("pupil.a1", HttpStatusCode.Forbidden) })
        {
            // A form posted on a browser whose session is gone is kept; someone else signs in on that browser.
            using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var typed = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Title"] = "Texte gardé secret", ["Input.Type"] = "homework" });
            var kept = await browser.PostAsync(new Uri(edit, UriKind.Relative), typed);
            Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
            await TestSchools.LoginAsync(browser, login);

            var page = await browser.GetAsync(new Uri(edit, UriKind.Relative));

            Assert.True(page.StatusCode == expected, $"{login}: {(int)page.StatusCode}");
            var html = await page.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Texte gardé secret", html, StringComparison.Ordinal);
            Assert.DoesNotContain("session avait expiré", html, StringComparison.Ordinal);
        }
    }

    private static async Task SeedResourcesAsync(PreauAppFactory app, World w)
    {
        var teacher = await w.ClientAsync("teacher.a1");
        var entry = await teacher.PostJsonAsync($"/api/v1/classes/{w.Class("a1")}/homework",
            new { title = "Exercices p. 12", body = "1 à 5", subjectId = w.S.Subjects["maths"], dueDate = "2030-01-07", handIn = "both" });
        w.Entry = (await Created(entry)).GetProperty("id").GetGuid();
        var news = await teacher.PostJsonAsync("/api/v1/news",
            new { title = "Sortie", body = "Jeudi au musée.", audience = new[] { $"pupils:{w.Class("a1")}" }, receiptRequired = true });
        w.News = (await Created(news)).GetProperty("id").GetGuid();
        var message = await teacher.PostJsonAsync("/api/v1/messages",
            new { to = new[] { $"person:{w.Person("pupil.a1")}" }, subject = "Cahier", body = "Pense à ton cahier." });
        w.Message = (await Created(message)).GetProperty("id").GetGuid();
        var draft = await (await w.ClientAsync("pupil.a1")).PostJsonAsync("/api/v1/messages/drafts",
            new { to = Array.Empty<string>(), subject = "Brouillon", body = "À finir" });
        w.Draft = (await Created(draft)).GetProperty("id").GetGuid();
        var feed = await (await w.ClientAsync("pupil.a2")).PostJsonAsync("/api/v1/timetable/feed", new { });
        w.FeedPath = new Uri((await Created(feed)).GetProperty("url").GetString()!).AbsolutePath;
        w.Lesson = await app.WithDbAsync(async db =>
        {
            var lesson = new TimetableLesson
            {
                SchoolId = w.School("a"), GroupId = w.Class("a1"), SubjectId = w.S.Subjects["maths"], TeacherId = w.Person("teacher.a1"),
                Room = "B12", Day = DayOfWeek.Monday, Start = new TimeOnly(9, 0), End = new TimeOnly(10, 0), Weeks = WeekParity.Every,
            };
            db.TimetableLessons.Add(lesson);
            await db.SaveChangesAsync();
            return lesson.Id;
        });
    }

    private static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<Row> Rows(World w)
    {
        const HttpStatusCode ok = HttpStatusCode.OK, created = HttpStatusCode.Created, noContent = HttpStatusCode.NoContent,
            bad = HttpStatusCode.BadRequest, unauthorized = HttpStatusCode.Unauthorized, forbidden = HttpStatusCode.Forbidden,
            notFound = HttpStatusCode.NotFound, toSignIn = HttpStatusCode.Redirect;
        string[] everyone = ["pupil.a1", "parent.a1", "teacher.a1", "staff.a", "schooladmin.a", "regionadmin"];
        var homework = new { title = "Rédaction", body = "", subjectId = w.S.Subjects["maths"], dueDate = "2030-01-08" };
        var monday = new DateOnly(2030, 1, 7);
        var change = new { date = monday, kind = "cancelled" };
        var rules = new { pupilsToClassmates = false };

        // Homework notebook (API): reads for people in a class's life, writes for teachers, ticks for pupils.
        yield return new(Anonymous, "GET", "/api/v1/homework", null, unauthorized, "no session");
        yield return new("pupil.a1", "GET", "/api/v1/homework", null, ok, "own notebook");
        yield return new("regionadmin", "GET", "/api/v1/homework", null, forbidden, "wrong profile: in no class");
        yield return new("parent.a1", "GET", $"/api/v1/homework?studentId={w.Person("pupil.a2")}", null, forbidden, "wrong child");
        yield return new("pupil.a1", "GET", $"/api/v1/homework?studentId={w.Person("pupil.a2")}", null, forbidden, "another pupil");
        yield return new("teacher.a1", "GET", $"/api/v1/homework?classId={w.Class("a2")}", null, forbidden, "wrong class");
        yield return new("staff.b", "GET", $"/api/v1/homework?classId={w.Class("a1")}", null, forbidden, "wrong school");
        yield return new("pupil.a1", "GET", $"/api/v1/homework/{w.Entry}", null, ok, "own class");
        yield return new("parent.a1", "GET", $"/api/v1/homework/{w.Entry}", null, ok, "own child");
        yield return new("staff.a", "GET", $"/api/v1/homework/{w.Entry}", null, ok, "own school");
        yield return new("pupil.a2", "GET", $"/api/v1/homework/{w.Entry}", null, notFound, "wrong class");
        yield return new("parent.a2", "GET", $"/api/v1/homework/{w.Entry}", null, notFound, "wrong child");
        yield return new("teacher.a2", "GET", $"/api/v1/homework/{w.Entry}", null, notFound, "wrong class");
        yield return new("staff.b", "GET", $"/api/v1/homework/{w.Entry}", null, notFound, "wrong school");
        yield return new("regionadmin", "GET", $"/api/v1/homework/{w.Entry}", null, forbidden, "wrong profile");
        yield return new("teacher.a1", "POST", $"/api/v1/classes/{w.Class("a1")}/homework", homework, created, "teaches maths in a1");
        yield return new("pupil.a1", "POST", $"/api/v1/classes/{w.Class("a1")}/homework", homework, forbidden, "wrong profile");
        yield return new("staff.a", "POST", $"/api/v1/classes/{w.Class("a1")}/homework", homework, forbidden, "wrong profile");
        yield return new("teacher.a2", "POST", $"/api/v1/classes/{w.Class("a1")}/homework", homework, forbidden, "wrong class");
        yield return new("teacher.b1", "POST", $"/api/v1/classes/{w.Class("a1")}/homework", homework, forbidden, "wrong school");
        yield return new("pupil.a1", "PUT", $"/api/v1/homework/{w.Entry}", homework, forbidden, "wrong profile");
        yield return new("teacher.b1", "PUT", $"/api/v1/homework/{w.Entry}", homework, notFound, "wrong school: not the author");
        yield return new("teacher.a2", "DELETE", $"/api/v1/homework/{w.Entry}", null, notFound, "wrong class: not the author");
        yield return new("parent.a1", "DELETE", $"/api/v1/homework/{w.Entry}", null, forbidden, "wrong profile");
        yield return new("pupil.a1", "POST", $"/api/v1/homework/{w.Entry}/done", null, noContent, "own class");
        yield return new("pupil.a2", "POST", $"/api/v1/homework/{w.Entry}/done", null, notFound, "wrong class");
        yield return new("pupil.b1", "POST", $"/api/v1/homework/{w.Entry}/done", null, notFound, "wrong school");
        yield return new("parent.a1", "POST", $"/api/v1/homework/{w.Entry}/done", null, forbidden, "wrong profile: the pupil ticks");
        yield return new("teacher.a1", "DELETE", $"/api/v1/homework/{w.Entry}/done", null, forbidden, "wrong profile");

        // Hand-in: the entry collects work.
        var handIn = $"/api/v1/homework/{w.Entry}/submission";
        var handIns = $"/api/v1/homework/{w.Entry}/submissions";
        yield return new(Anonymous, "GET", handIn, null, unauthorized, "no session");
        yield return new("pupil.a1", "GET", handIn, null, ok, "own work");
        yield return new("parent.a1", "GET", handIn, null, ok, "own child");
        yield return new("pupil.a2", "GET", handIn, null, notFound, "wrong class");
        yield return new("parent.a2", "GET", $"{handIn}?studentId={w.Person("pupil.a1")}", null, notFound, "wrong child");
        yield return new("pupil.b1", "GET", handIn, null, notFound, "wrong school");
        yield return new("regionadmin", "GET", handIn, null, forbidden, "wrong profile");
        yield return new("teacher.a1", "GET", handIns, null, ok, "teaches maths in a1");
        yield return new("teacher.a2", "GET", handIns, null, notFound, "wrong class");
        yield return new("teacher.b1", "GET", handIns, null, notFound, "wrong school");
        yield return new("staff.a", "GET", handIns, null, forbidden, "wrong profile");
        yield return new("pupil.a1", "GET", $"/devoirs/{w.Entry}/rendu", null, ok, "own work");
        yield return new("pupil.a2", "GET", $"/devoirs/{w.Entry}/rendu", null, notFound, "wrong class");
        yield return new("teacher.a1", "GET", $"/devoirs/{w.Entry}/copies", null, ok, "teaches maths in a1");
        yield return new("teacher.b1", "GET", $"/devoirs/{w.Entry}/copies", null, notFound, "wrong school");
        yield return new("pupil.a1", "GET", $"/devoirs/{w.Entry}/copies", null, forbidden, "wrong profile");

        // Timetable, changes of the day, calendar feed.
        yield return new(Anonymous, "GET", "/api/v1/timetable", null, unauthorized, "no session");
        yield return new("pupil.a1", "GET", "/api/v1/timetable", null, ok, "own timetable");
        yield return new("regionadmin", "GET", "/api/v1/timetable", null, forbidden, "wrong profile");
        yield return new("parent.a1", "GET", $"/api/v1/timetable?studentId={w.Person("pupil.b1")}", null, forbidden, "wrong child");
        yield return new("staff.a", "POST", $"/api/v1/timetable/lessons/{w.Lesson}/changes", change, created, "own school");
        yield return new("schooladmin.a", "POST", $"/api/v1/timetable/lessons/{w.Lesson}/changes", change, created, "own school");
        yield return new("teacher.a1", "POST", $"/api/v1/timetable/lessons/{w.Lesson}/changes", change, forbidden, "wrong profile");
        yield return new("pupil.a1", "POST", $"/api/v1/timetable/lessons/{w.Lesson}/changes", change, forbidden, "wrong profile");
        yield return new("staff.b", "POST", $"/api/v1/timetable/lessons/{w.Lesson}/changes", change, notFound, "wrong school");
        yield return new("schooladmin.b", "POST", $"/api/v1/timetable/lessons/{w.Lesson}/changes", change, notFound, "wrong school");
        yield return new("teacher.a1", "POST", "/api/v1/timetable/feed", null, created, "has a timetable");
        yield return new("staff.a", "POST", "/api/v1/timetable/feed", null, forbidden, "wrong profile");
        yield return new("regionadmin", "POST", "/api/v1/timetable/feed", null, forbidden, "wrong profile");
        yield return new(Anonymous, "DELETE", "/api/v1/timetable/feed", null, unauthorized, "no session");
        yield return new(Anonymous, "GET", w.FeedPath, null, ok, "the secret address is the credential");
        yield return new(Anonymous, "GET", "/ical/ceci-n-est-pas-un-jeton-valide.ics", null, notFound, "unknown address");

        // Messaging: one's own mailbox and drafts only; recipients by the school's rules.
        yield return new(Anonymous, "GET", "/api/v1/messages", null, unauthorized, "no session");
        yield return new("pupil.a1", "GET", $"/api/v1/messages/{w.Message}", null, ok, "recipient");
        yield return new("teacher.a1", "GET", $"/api/v1/messages/{w.Message}", null, ok, "sender");
        yield return new("pupil.a2", "GET", $"/api/v1/messages/{w.Message}", null, notFound, "wrong class");
        yield return new("parent.a1", "GET", $"/api/v1/messages/{w.Message}", null, notFound, "not addressed to the parent");
        yield return new("staff.a", "GET", $"/api/v1/messages/{w.Message}", null, notFound, "same school, not addressed");
        yield return new("teacher.b1", "GET", $"/api/v1/messages/{w.Message}", null, notFound, "wrong school");
        yield return new("pupil.a2", "POST", $"/api/v1/messages/{w.Message}/reply", new { body = "?" }, notFound, "not in their mailbox");
        yield return new("teacher.a1", "POST", "/api/v1/messages", new { to = new[] { $"person:{w.Person("pupil.b1")}" }, subject = "x", body = "x" }, forbidden, "wrong school");
        yield return new("pupil.a1", "POST", "/api/v1/messages", new { to = new[] { $"person:{w.Person("teacher.a2")}" }, subject = "x", body = "x" }, forbidden, "wrong class");
        yield return new("parent.a1", "POST", "/api/v1/messages", new { to = new[] { $"parents:{w.Class("a1")}" }, subject = "x", body = "x" }, forbidden, "wrong profile");
        yield return new("pupil.a1", "GET", $"/api/v1/messages/drafts/{w.Draft}", null, ok, "own draft");
        yield return new("pupil.a2", "GET", $"/api/v1/messages/drafts/{w.Draft}", null, notFound, "someone else's draft");
        yield return new("pupil.a2", "DELETE", $"/api/v1/messages/drafts/{w.Draft}", null, notFound, "someone else's draft");
        yield return new("pupil.a1", "POST", "/api/v1/messages/drafts", new { subject = "RE", body = "Oui", replyToId = w.Message }, created, "answers a message they hold");
        yield return new("pupil.b1", "POST", "/api/v1/messages/drafts", new { subject = "RE", body = "Oui", replyToId = w.Message }, bad, "a message of another school");
        yield return new("pupil.a2", "PUT", $"/api/v1/messages/drafts/{w.Draft}", new { subject = "RE", body = "Oui", replyToId = w.Message }, bad, "a message they cannot read");

        // Communication rules: read by the school's people and region staff, changed by its head or the region.
        var rulesPath = $"/api/v1/schools/{w.School("a")}/communication-rules";
        yield return new(Anonymous, "GET", rulesPath, null, unauthorized, "no session");
        foreach (var login in new[] { "pupil.a1", "parent.a1", "teacher.a2", "staff.a", "schooladmin.a", "regionadmin" })
        {
            yield return new(login, "GET", rulesPath, null, ok, "their school or region");
        }

        yield return new("pupil.b1", "GET", rulesPath, null, notFound, "wrong school");
        yield return new("parent.b2", "GET", rulesPath, null, notFound, "wrong school (child elsewhere)");
        yield return new("schooladmin.b", "GET", rulesPath, null, notFound, "wrong school");
        yield return new("schooladmin.a", "PUT", rulesPath, rules, ok, "head of the school");
        yield return new("regionadmin", "PUT", rulesPath, rules, ok, "region of the school");
        yield return new("teacher.a1", "PUT", rulesPath, rules, forbidden, "wrong profile");
        yield return new("staff.a", "PUT", rulesPath, rules, forbidden, "wrong profile");
        yield return new("schooladmin.b", "PUT", rulesPath, rules, notFound, "wrong school");

        // News and read receipts.
        yield return new(Anonymous, "GET", "/api/v1/news", null, unauthorized, "no session");
        yield return new("pupil.a1", "GET", $"/api/v1/news/{w.News}", null, ok, "addressed to their class");
        yield return new("pupil.a2", "GET", $"/api/v1/news/{w.News}", null, notFound, "wrong class");
        yield return new("parent.a1", "GET", $"/api/v1/news/{w.News}", null, notFound, "addressed to pupils, not parents");
        yield return new("pupil.b1", "GET", $"/api/v1/news/{w.News}", null, notFound, "wrong school");
        yield return new("teacher.a1", "GET", $"/api/v1/news/{w.News}/receipts", null, ok, "author");
        yield return new("staff.a", "GET", $"/api/v1/news/{w.News}/receipts", null, notFound, "staff who cannot open the item");
        yield return new("schooladmin.a", "GET", $"/api/v1/news/{w.News}/receipts", null, notFound, "head who cannot open the item");
        yield return new("pupil.a1", "GET", $"/api/v1/news/{w.News}/receipts", null, notFound, "a reader, not the author");
        yield return new("staff.b", "GET", $"/api/v1/news/{w.News}/receipts", null, notFound, "wrong school");
        var toA2 = new { title = "x", body = "x", audience = new[] { $"pupils:{w.Class("a2")}" } };
        yield return new("pupil.a1", "POST", "/api/v1/news", toA2, forbidden, "wrong profile");
        yield return new("parent.a1", "POST", "/api/v1/news", toA2, forbidden, "wrong profile");
        yield return new("teacher.a1", "POST", "/api/v1/news", toA2, forbidden, "wrong class");
        yield return new("staff.b", "POST", "/api/v1/news", toA2, forbidden, "wrong school");
        yield return new("staff.a", "POST", "/api/v1/news", toA2, created, "own school");

        // Timeline and /me: each person's own, whatever the profile.
        yield return new(Anonymous, "GET", "/api/v1/timeline", null, unauthorized, "no session");
        yield return new(Anonymous, "GET", "/api/v1/me", null, unauthorized, "no session");
        foreach (var login in everyone)
        {
            yield return new(login, "GET", "/api/v1/timeline", null, ok, "own feed");
            yield return new(login, "GET", "/api/v1/me", null, ok, "themself");
        }

        // Pages: the same gates, with the French error page (or sign-in) instead of ProblemDetails.
        foreach (var page in new[] { "/devoirs", "/emploi-du-temps", "/messagerie", "/actualites", "/fil", "/admin/portail", "/messagerie/regles", "/devoirs/nouveau", "/compte",
            "/etablissement/emploi-du-temps" })
        {
            yield return new(Anonymous, "GET", page, null, toSignIn, "no session");
        }

        yield return new("pupil.a1", "GET", "/devoirs", null, ok, "own notebook");
        yield return new("regionadmin", "GET", "/devoirs", null, forbidden, "wrong profile");
        yield return new("parent.a1", "GET", $"/devoirs?eleve={w.Person("pupil.b1")}", null, forbidden, "wrong child");
        yield return new("parent.a1", "GET", $"/devoirs?eleve={w.Person("pupil.a2")}", null, forbidden, "another family's child");
        yield return new("parent.a1", "GET", $"/devoirs?eleve={w.Person("pupil.a1")}", null, ok, "own child");
        yield return new("teacher.a1", "GET", "/devoirs/nouveau", null, ok, "teacher");
        yield return new("pupil.a1", "GET", "/devoirs/nouveau", null, forbidden, "wrong profile");
        yield return new("staff.a", "GET", "/devoirs/nouveau", null, forbidden, "wrong profile");
        yield return new("teacher.a1", "GET", $"/devoirs/{w.Entry}/modifier", null, ok, "author");
        yield return new("teacher.a2", "GET", $"/devoirs/{w.Entry}/modifier", null, notFound, "wrong class: not the author");
        yield return new("pupil.a1", "GET", $"/devoirs/{w.Entry}/modifier", null, forbidden, "wrong profile");
        yield return new("pupil.a1", "GET", "/emploi-du-temps", null, ok, "own timetable");
        yield return new("regionadmin", "GET", "/emploi-du-temps", null, forbidden, "wrong profile");
        yield return new("parent.a1", "GET", $"/emploi-du-temps?eleve={w.Person("pupil.b1")}", null, forbidden, "wrong child");
        yield return new("parent.a1", "GET", $"/emploi-du-temps?eleve={w.Person("pupil.a2")}", null, forbidden, "another family's child");
        yield return new("staff.a", "GET", "/etablissement/emploi-du-temps", null, ok, "vie scolaire of the school");
        yield return new("schooladmin.a", "GET", $"/etablissement/emploi-du-temps/cours?id={w.Lesson}", null, ok, "head of the school");
        yield return new("teacher.a1", "GET", "/etablissement/emploi-du-temps", null, forbidden, "wrong profile");
        yield return new("regionadmin", "GET", "/etablissement/emploi-du-temps", null, forbidden, "wrong profile");
        yield return new("staff.b", "GET", $"/etablissement/emploi-du-temps/cours?id={w.Lesson}", null, notFound, "wrong school");
        yield return new("pupil.a1", "GET", $"/messagerie/{w.Message}", null, ok, "recipient");
        yield return new("pupil.a2", "GET", $"/messagerie/{w.Message}", null, notFound, "wrong class");
        yield return new("staff.b", "GET", $"/messagerie/{w.Message}", null, notFound, "wrong school");
        yield return new("schooladmin.a", "GET", "/messagerie/regles", null, ok, "head of the school");
        yield return new("staff.a", "GET", "/messagerie/regles", null, forbidden, "wrong profile");
        yield return new("regionadmin", "GET", "/messagerie/regles", null, forbidden, "wrong profile (the API names the school)");
        yield return new("pupil.a1", "GET", $"/actualites/{w.News}", null, ok, "addressed to their class");
        yield return new("pupil.a2", "GET", $"/actualites/{w.News}", null, notFound, "wrong class");
        yield return new("pupil.b1", "GET", $"/actualites/{w.News}", null, notFound, "wrong school");
        yield return new("teacher.a1", "GET", $"/actualites/{w.News}/lectures", null, ok, "author");
        yield return new("staff.a", "GET", $"/actualites/{w.News}/lectures", null, notFound, "staff who cannot open the item");
        yield return new("staff.b", "GET", $"/actualites/{w.News}/lectures", null, notFound, "wrong school");
        yield return new("teacher.a1", "GET", "/actualites/publier", null, ok, "teacher");
        yield return new("pupil.a1", "GET", "/actualites/publier", null, forbidden, "wrong profile");
        yield return new("parent.a1", "GET", "/actualites/publier", null, forbidden, "wrong profile");
        yield return new("regionadmin", "GET", "/admin/portail", null, ok, "region administrator");
        yield return new("regionadmin", "GET", "/compte", null, ok, "own account");
        foreach (var login in everyone.Where(l => l != "regionadmin"))
        {
            yield return new(login, "GET", "/admin/portail", null, forbidden, "wrong profile");
            yield return new(login, "GET", "/fil", null, ok, "own feed");
            yield return new(login, "GET", "/compte", null, ok, "own account");
        }
    }
}
