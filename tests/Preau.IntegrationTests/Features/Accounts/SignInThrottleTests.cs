using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts;

/// <summary>
/// Wrong passwords slow one login from one address with growing waits (issue 12): a stranger cannot lock a
/// pupil out. The clock is frozen so that every wait and every Retry-After is exact.
/// </summary>
public sealed class SignInThrottleTests
{
    private const string Attacker = "203.0.113.66";
    private const string Home = "198.51.100.7";
    private const string AddressHeader = "X-Test-Client-Address";

    [Fact]
    public async Task Login_150WrongPasswordsFromOneAddress_OwnerElsewhereAndRememberedDeviceStillSignIn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = Host(new PreauAppFactory(db), new FakeTimeProvider(DateTimeOffset.UtcNow));
        await TestSchools.SeedAsync(app.Services);
        // The owner's phone is remembered and sits behind the attacker's address (same school network).
        using var phone = Client(app, Attacker);
        (await phone.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password, remember = true })).EnsureSuccessStatusCode();
        (await phone.PostJsonAsync("/api/v1/auth/logout", new { })).EnsureSuccessStatusCode();
        using var tablet = Client(app, Attacker);
        await TestSchools.LoginAsync(tablet, "pupil.a1");
        using var attacker = Client(app, Attacker);

        var statuses = new List<int>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 150; i++)
        {
            last = await attacker.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = $"essai-{i}" });
            statuses.Add((int)last.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(401, 9).Concat(Enumerable.Repeat(429, 141)), statuses);
        var problem = await last.AssertProblemAsync(429);
        Assert.Equal("Essais trop nombreux", problem.GetProperty("title").GetString());
        Assert.Contains("patientez 5 secondes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("5", last.Headers.GetValues("Retry-After").Single());
        // While the address waits, even the right password is not tried from it.
        await (await attacker.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password })).AssertProblemAsync(429);

        using var home = Client(app, Home);
        Assert.Equal(HttpStatusCode.OK, (await home.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.PostJsonAsync("/api/v1/auth/device", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tablet.GetAsync("/api/v1/me")).StatusCode);
        // Classmates behind the same address are not affected.
        using var classmate = Client(app, Attacker);
        Assert.Equal(HttpStatusCode.OK, (await classmate.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a2", password = TestSchools.Password })).StatusCode);
    }

    [Fact]
    public async Task Login_OneAddressKeepsTheHashingLaneFullIgnoringRetryAfter_PupilElsewhereSignsInAtOnce()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = Host(new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["Accounts:HashingConcurrency"] = "1",
            ["Accounts:HashingQueue"] = "4",
        }), new FakeTimeProvider(DateTimeOffset.UtcNow));
        await TestSchools.SeedAsync(app.Services);
        var lane = app.Services.GetRequiredService<Preau.Web.Features.Accounts.HashingLane>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var floodStatuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        var next = 0;
        // Twelve connections from one address post sign-ins (a new unknown login each time, so that no per-login
        // limit stops them) and post again as soon as they are answered, 503 or not: more than the lane holds.
        var flood = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            using var client = Client(app, Attacker);
            while (!stop.IsCancellationRequested)
            {
                var login = $"inconnu.{Interlocked.Increment(ref next)}";
                using var response = await client.PostJsonAsync("/api/v1/auth/login", new { login, password = "n'importe" });
                floodStatuses.Add((int)response.StatusCode);
            }
        })).ToList();
        Assert.True(SpinWait.SpinUntil(() => lane.IsFull, TimeSpan.FromSeconds(20)), "the flood never filled the lane");

        using var home = Client(app, Home);
        var pupil = await home.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password });
        await stop.CancelAsync();
        await Task.WhenAll(flood);

        // In a first-come queue the pupil would be told "busy" (503) for as long as the flood lasts.
        Assert.Equal(HttpStatusCode.OK, pupil.StatusCode);
        Assert.Contains(503, floodStatuses);
    }

    [Fact]
    public async Task Login_WrongPasswordsAfterEachWait_WaitGrowsThenSuccessStartsAfresh()
    {
        await using var db = TestDatabase.Create("Sqlite");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = Host(new PreauAppFactory(db, Throttle(threshold: 3, firstDelaySeconds: 60)), clock);
        await TestSchools.SeedAsync(app.Services);
        using var client = Client(app, Attacker);
        Task<HttpResponseMessage> Try(string password) => client.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password });

        await (await Try("faux-1")).AssertProblemAsync(401);
        await (await Try("faux-2")).AssertProblemAsync(401);
        Assert.Equal("60", (await Try("faux-3")).Headers.GetValues("Retry-After").Single());
        clock.Advance(TimeSpan.FromSeconds(60));
        var doubled = await Try("faux-4");
        Assert.Equal("120", doubled.Headers.GetValues("Retry-After").Single());
        Assert.Contains("patientez 2 minutes", (await doubled.AssertProblemAsync(429)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(120));

        Assert.Equal(HttpStatusCode.OK, (await Try(TestSchools.Password)).StatusCode);
        await (await Try("faux-5")).AssertProblemAsync(401);
    }

    [Fact]
    public async Task LoginPage_AddressSlowed_Shows429FrenchMessageWithRetryAfter()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = Host(new PreauAppFactory(db, Throttle(threshold: 2, firstDelaySeconds: 600)), new FakeTimeProvider(DateTimeOffset.UtcNow));
        await TestSchools.SeedAsync(app.Services);
        using var client = Client(app, Attacker);

        await SignInApiTests.PostLoginPageAsync(client, "pupil.a1", "mauvais-mot");
        await SignInApiTests.PostLoginPageAsync(client, "pupil.a1", "mauvais-mot");
        var page = await SignInApiTests.PostLoginPageAsync(client, "pupil.a1", TestSchools.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("600", page.Headers.GetValues("Retry-After").Single());
        Assert.Contains("patientez 10 minutes avant de réessayer", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    /// <summary>Hammering a login that does not exist tells nothing: same statuses, bodies and headers, every time.</summary>
    [Theory]
    [InlineData("/api/v1/auth/login")]
    [InlineData("/api/v1/auth/activate")]
    public async Task Login_UnknownLoginHammered_AnswersByteForByteLikeAKnownOne(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = Host(new PreauAppFactory(db, Throttle(threshold: 3, firstDelaySeconds: 30)), new FakeTimeProvider(DateTimeOffset.UtcNow));
        await TestSchools.SeedAsync(app.Services);
        using var client = Client(app, Attacker);

        var known = new List<string>();
        var unknown = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            known.Add(await AnswerAsync(await client.PostJsonAsync(path, new { login = "pupil.b1", password = "mauvais-mot", code = "ABCD-EFGH", newPassword = "Un-nouveau-mot-2026" })));
            unknown.Add(await AnswerAsync(await client.PostJsonAsync(path, new { login = "personne.ici", password = "mauvais-mot", code = "ABCD-EFGH", newPassword = "Un-nouveau-mot-2026" })));
        }

        Assert.Equal(known, unknown);
        Assert.Equal([401, 401, 429, 429, 429], known.Select(a => int.Parse(a[..3], CultureInfo.InvariantCulture)));
        Assert.Contains("Retry-After: 30", known[2], StringComparison.Ordinal);
    }

    /// <summary>Issue 14: two nodes sharing PostgreSQL and Redis; the wait started through one applies through the other.</summary>
    [Fact]
    public async Task Login_SlowedThroughOneHost_AppliesThroughASecondHost()
    {
        await using var db = TestDatabase.Create("Postgres");
        var shared = Throttle(threshold: 3, firstDelaySeconds: 600);
        shared["Gate:Redis"] = Environment.GetEnvironmentVariable("PREAU_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:56379";
        shared["Gate:RedisPrefix"] = "test:" + Guid.NewGuid().ToString("N");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var first = Host(new PreauAppFactory(db, shared), clock);
        await using var second = Host(new PreauAppFactory(db, shared), clock);
        await TestSchools.SeedAsync(first.Services);
        using var one = Client(first, Attacker);
        using var two = Client(second, Attacker);

        await (await one.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "faux-1" })).AssertProblemAsync(401);
        await (await two.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "faux-2" })).AssertProblemAsync(401);
        await (await one.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = "faux-3" })).AssertProblemAsync(429);

        var elsewhere = await two.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password });
        await elsewhere.AssertProblemAsync(429);
        Assert.Equal("600", elsewhere.Headers.GetValues("Retry-After").Single());
        using var home = Client(second, Home);
        Assert.Equal(HttpStatusCode.OK, (await home.PostJsonAsync("/api/v1/auth/login", new { login = "pupil.a1", password = TestSchools.Password })).StatusCode);
    }

    private static Dictionary<string, string?> Throttle(int threshold, int firstDelaySeconds) => new()
    {
        ["Accounts:LockoutThreshold"] = threshold.ToString(CultureInfo.InvariantCulture),
        ["Accounts:LockoutFirstDelaySeconds"] = firstDelaySeconds.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Status, the headers a client could tell apart, and the body without its per-request trace id.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        var headers = string.Join("\n", new[] { "Retry-After", "Cache-Control", "WWW-Authenticate" }
            .Select(h => $"{h}: {string.Join(", ", response.Headers.TryGetValues(h, out var v) ? v : [])}"));
        return $"{(int)response.StatusCode}\n{response.Content.Headers.ContentType}\n{headers}\n{body.ToJsonString()}";
    }

    /// <summary>Frozen clock, and the client address taken from a test header (the test server has no socket).</summary>
    private static WebApplicationFactory<Program> Host(PreauAppFactory factory, TimeProvider clock) =>
        factory.WithWebHostBuilder(b => b.ConfigureServices(s => s
            .AddSingleton(clock)
            .AddSingleton<IStartupFilter>(new ClientAddressFromHeader())));

    private static HttpClient Client(WebApplicationFactory<Program> app, string address)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
