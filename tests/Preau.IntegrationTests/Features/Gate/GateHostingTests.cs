using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Preau.Gate;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Gate;

public sealed class GateHostingTests
{
    private static readonly Dictionary<string, string?> s_oneSeat = new()
    {
        ["Gate:MaxActiveUsers"] = "1",
        ["Gate:InitialAdmissionsPerSecond"] = "100",
        ["Gate:FairStartWindow"] = "00:00:00",
    };

    [Fact]
    public async Task Home_SecondVisitorWhenFull_GetsFrenchWaitingPageUnder5KB()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        using var first = app.CreateClient();
        using var second = app.CreateClient();

        var admitted = await EnterAsync(first);
        var waiting = await EnterAsync(second);
        var html = await waiting.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.True(waiting.Headers.RetryAfter is not null, "the waiting page says when to come back");
        Assert.Contains("lang=\"fr\"", html, StringComparison.Ordinal);
        Assert.Contains("http-equiv=\"refresh\"", html, StringComparison.Ordinal);
        Assert.True((await waiting.Content.ReadAsByteArrayAsync()).Length <= 5 * 1024, "waiting page must stay under 5 KB");
    }

    [Fact]
    public async Task Status_SignedInAccountOnTwoDevices_HoldsOnePlace()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>(s_oneSeat) { ["Gate:MaxActiveUsers"] = "2" });
        await TestSchools.SeedAsync(app.Services);
        var options = new WebApplicationFactoryClientOptions { HandleCookies = true };
        using var phone = app.CreateClient(options);
        using var laptop = app.CreateClient(options);
        using var other = app.CreateClient(options);

        await TestSchools.LoginAsync(phone, "pupil.a1");
        await TestSchools.LoginAsync(laptop, "pupil.a1");
        Assert.Equal("admitted", await StateAsync(phone));
        Assert.Equal("admitted", await StateAsync(laptop));

        // The account holds one place, so a second pupil still finds the other seat free.
        await TestSchools.LoginAsync(other, "pupil.a2");
        Assert.Equal("admitted", await StateAsync(other));
    }

    [Fact]
    public async Task Logout_WhenFull_GivesThePlaceToTheNextInLine()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        await TestSchools.SeedAsync(app.Services);
        var options = new WebApplicationFactoryClientOptions { HandleCookies = true };
        using var first = app.CreateClient(options);
        using var second = app.CreateClient(options);
        await TestSchools.LoginAsync(first, "pupil.a1");
        await TestSchools.LoginAsync(second, "pupil.a2");
        Assert.Equal("admitted", await StateAsync(first));
        Assert.Equal("queued", await StateAsync(second));

        var logout = await first.PostAsync(new Uri("/api/v1/auth/logout", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal("admitted", await StateAsync(second));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/statut")]
    [InlineData("/api/v1/gate/status")]
    public async Task NeverGatedPaths_WhenFull_StillAnswer(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        using var first = app.CreateClient();
        using var second = app.CreateClient();
        await EnterAsync(first);
        await EnterAsync(second);

        var response = await second.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/activation")]
    [InlineData("/connexion")]
    [InlineData("/ical/inconnu.ics")]
    [InlineData("/readyz")]
    public async Task SignInLaneAndMachinePaths_WhenFull_NeverGetTheWaitingPage(string path)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        using var first = app.CreateClient();
        using var second = app.CreateClient();
        await EnterAsync(first);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await EnterAsync(second)).StatusCode);

        var response = await second.GetAsync(new Uri(path, UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains("Preau-Gate"));
    }

    [Fact]
    public async Task Api_AnonymousCallWhenFull_Stays401ProblemDetails()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        using var first = app.CreateClient();
        using var second = app.CreateClient();
        await EnterAsync(first);
        await EnterAsync(second);

        var response = await second.GetAsync(new Uri("/api/v1/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_SignedInCallerQueued_GetsFrenchProblemJson503WithRetryAfter()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        await TestSchools.SeedAsync(app.Services);
        var options = new WebApplicationFactoryClientOptions { HandleCookies = true };
        using var first = app.CreateClient(options);
        using var second = app.CreateClient(options);
        await TestSchools.LoginAsync(first, "pupil.a1");
        await TestSchools.LoginAsync(second, "pupil.a2");
        Assert.Equal("admitted", await StateAsync(first));

        var response = await second.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("File d'attente", problem.GetProperty("title").GetString());
        Assert.Contains("Préau est très demandé", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("queued", problem.GetProperty("state").GetString());
        Assert.Equal(1, problem.GetProperty("position").GetInt64());
    }

    [Fact]
    public async Task Error_CookielessRequestMeetsError_GetsErrorPageAndTakesNoPlace()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, s_oneSeat);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await client.GetAsync(new Uri("/page-qui-n-existe-pas", UriKind.Relative)));
        }
        var overview = await app.Services.GetRequiredService<IPreauGate>().GetOverviewAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains("existe pas", await responses[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, overview.Lanes.Sum(l => l.Active + l.Waiting));
    }

    [Fact]
    public async Task Metrics_FromTestHost_ExposesGateInstruments()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Metrics:LoopbackOnly"] = "false" });
        using var client = app.CreateClient();
        await client.GetAsync(new Uri("/", UriKind.Relative));
        await client.GetAsync(new Uri("/statut", UriKind.Relative)); // takes a snapshot of the queue

        // Gauges read the gate's latest snapshot and never query the store themselves: poll, bounded.
        var text = "";
        for (var i = 0; i < 80 && !text.Contains("preau_gate_active_users", StringComparison.Ordinal); i++)
        {
            await Task.Delay(250);
            text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        Assert.Contains("preau_gate_active_users{", text, StringComparison.Ordinal);
        Assert.Contains("preau_gate_admission_rate", text, StringComparison.Ordinal);
        Assert.Contains("preau_gate_departure_rate", text, StringComparison.Ordinal); // what the promise rests on
        Assert.Contains("preau_gate_stay_held", text, StringComparison.Ordinal);
    }

    /// <summary>A returning browser: the first page brings a ticket, the second takes a place with it.</summary>
    private static async Task<HttpResponseMessage> EnterAsync(HttpClient client)
    {
        await client.GetAsync(new Uri("/api/v1/gate/status", UriKind.Relative));
        return await client.GetAsync(new Uri("/", UriKind.Relative));
    }

    private static async Task<string?> StateAsync(HttpClient client)
    {
        var status = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/gate/status", UriKind.Relative));
        return status.GetProperty("state").GetString();
    }
}
