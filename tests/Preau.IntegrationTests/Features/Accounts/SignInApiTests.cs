using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;

namespace Preau.IntegrationTests.Features.Accounts;

public sealed class SignInApiTests
{
    private static readonly Dictionary<string, string?> s_lockAfterThree = new() { ["Accounts:LockoutThreshold"] = "3" };

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Login_EveryProfile_SignsInWithItsProfile(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);

        foreach (var (login, profile) in new[]
        {
            ("pupil.a1", "Pupil"), ("parent.b2", "Parent"), ("teacher.a2", "Teacher"),
            ("staff.b", "Staff"), ("schooladmin.a", "SchoolAdmin"), ("regionadmin", "RegionAdmin"),
        })
        {
            using var client = app.CreateClient();
            var response = await client.PostJsonAsync("/api/v1/auth/login", new { login, password = TestSchools.Password });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(schools.People[login], body.GetProperty("id").GetGuid());
            Assert.Equal(profile, body.GetProperty("profile").GetString());
            var me = await client.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
    }

    [Fact]
    public async Task Login_FailuresThenSuccess_ResetsTheCount()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_lockAfterThree);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();

        await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "mauvais-mot" });
        await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "mauvais-mot" });
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password })).StatusCode);
        await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "mauvais-mot" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "mauvais-mot" })).StatusCode);
    }

    [Theory]
    [InlineData("Sqlite", "identityv3")]
    [InlineData("Sqlite", "bcrypt")]
    [InlineData("Sqlite", "weak-argon2")]
    [InlineData("Postgres", "identityv3")]
    [InlineData("Postgres", "bcrypt")]
    [InlineData("Postgres", "weak-argon2")]
    public async Task Login_ImportedHash_SignsInAndUpgradesToArgon2id(string provider, string kind)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        const string Password = "Ancien-mot-de-passe-2019";
        var imported = kind switch
        {
            "identityv3" => new Microsoft.AspNetCore.Identity.PasswordHasher<object>().HashPassword(new object(), Password),
            "bcrypt" => BCrypt.Net.BCrypt.HashPassword(Password, workFactor: 6),
            _ => PasswordHasher.Hash(Password, memoryKib: 4096, passes: 1),
        };
        var pupil = schools.People["pupil.a1"];
        await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == pupil).ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordHash, imported)));
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == pupil).Select(a => a.PasswordHash).SingleAsync());
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", stored, StringComparison.Ordinal);
        Assert.Equal(PasswordCheck.Success, PasswordHasher.Verify(stored, Password));
        using var again = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await again.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = Password })).StatusCode);
    }

    [Theory]
    [InlineData("{\"login\": \"pupil.a1\", \"password\": ")]
    [InlineData("pas du json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"login\": 42, \"password\": true}")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"login\": \"pupil.a1\"}")]
    public async Task Login_MalformedJson_Returns400Problem(string json)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri("/api/v1/auth/login", UriKind.Relative), content);

        await response.AssertProblemAsync(400);
    }

    [Theory]
    [InlineData("/api/v1/auth/login")]
    [InlineData("/api/v1/auth/activate")]
    public async Task Auth_OversizedBody_Returns413ProblemWithoutReadingIt(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync(path, new { login = "pupil.a1", password = new string('x', 5000) });

        await response.AssertProblemAsync(413);
    }

    [Fact]
    public async Task Login_TooLongPassword_Returns400NotAHash()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = new string('x', 300) });

        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task Login_HashingLaneFull_Returns503WithRetryAfterAndPageSaysPatientez()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["Accounts:HashingConcurrency"] = "1",
            ["Accounts:HashingQueue"] = "0",
        });
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        var lane = app.Services.GetRequiredService<HashingLane>();
        using var gate = new ManualResetEventSlim();
        var blocker = lane.TryRunAsync(() => gate.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => lane.IsFull, TimeSpan.FromSeconds(10)));

        var api = await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password });
        var unknown = await client.PostJsonAsync("/api/v1/auth/login", new { login = "personne.ici", password = TestSchools.Password });
        var page = await PostLoginPageAsync(client, "pupil.a1", TestSchools.Password);

        var problem = await api.AssertProblemAsync(503);
        Assert.Contains("très sollicité", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("2", api.Headers.GetValues("Retry-After").Single());
        await unknown.AssertProblemAsync(503);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.True(page.Headers.Contains("Retry-After"));
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("Préau est très sollicité, patientez", html, StringComparison.Ordinal);
        Assert.Contains("Réessayer", html, StringComparison.Ordinal);

        gate.Set();
        Assert.True((await blocker).Admitted);
        Assert.True(SpinWait.SpinUntil(() => !lane.IsFull, TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password })).StatusCode);
    }

    [Fact]
    public async Task Me_WhileLoginBurstSaturatesHashingLane_AnswersBeforeQueuedLoginsComplete()
    {
        const int Burst = 40;
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["Accounts:HashingConcurrency"] = "1",
            ["Accounts:HashingQueue"] = "100",
        });
        await TestSchools.SeedAsync(app.Services);
        using var signedIn = app.CreateClient();
        await TestSchools.LoginAsync(signedIn, "teacher.a1");
        var lane = app.Services.GetRequiredService<HashingLane>();

        var completed = 0;
        var logins = Enumerable.Range(0, Burst).Select(async i =>
        {
            using var client = app.CreateClient();
            // Distinct unknown logins: one repeated would (rightly) hit its in-memory lockout.
            var login = i % 2 == 0 ? "pupil.a1" : $"personne.{i}";
            var response = await client.PostJsonAsync("/api/v1/auth/login", new { login, password = TestSchools.Password });
            Interlocked.Increment(ref completed);
            return (Known: i % 2 == 0, response.StatusCode);
        }).ToList();
        Assert.True(SpinWait.SpinUntil(() => lane.QueueLength >= 10, TimeSpan.FromSeconds(20)), "the burst never filled the queue");

        var me = await signedIn.GetAsync("/api/v1/me");
        var completedWhenMeAnswered = Volatile.Read(ref completed);
        var queuedWhenMeAnswered = lane.QueueLength;
        var statuses = await Task.WhenAll(logins);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True(queuedWhenMeAnswered > 0, "the lane had drained before /me answered");
        Assert.True(completedWhenMeAnswered < Burst, $"/me waited for the burst ({completedWhenMeAnswered}/{Burst} logins done)");
        Assert.All(statuses, s => Assert.Equal(s.Known ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, s.StatusCode));
    }

    [Fact]
    public async Task Logout_SignedIn_EndsTheSession()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "parent.a1");

        var logout = await client.PostAsync(new Uri("/api/v1/auth/logout", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await (await client.GetAsync("/api/v1/me")).AssertProblemAsync(401);
        await (await client.PostAsync(new Uri("/api/v1/auth/logout", UriKind.Relative), null)).AssertProblemAsync(401);
    }

    /// <summary>Posts the real login form: GET for the antiforgery token and cookie, then POST.</summary>
    internal static async Task<HttpResponseMessage> PostLoginPageAsync(HttpClient client, string login, string password)
    {
        var form = await client.GetStringAsync(new Uri("/connexion", UriKind.Relative));
        var token = AntiforgeryToken(form);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = login,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        return await client.PostAsync(new Uri("/connexion", UriKind.Relative), content);
    }

    internal static string AntiforgeryToken(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        Assert.True(match.Success, "no antiforgery token in the page");
        return match.Groups[1].Value;
    }
}
