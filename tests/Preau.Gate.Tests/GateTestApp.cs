using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Preau.Gate.Tests;

/// <summary>A tiny web app hosting the gate in-process, on a TestServer, with a fake clock.</summary>
internal sealed class GateTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GateTestApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GateTestApp> StartAsync(FakeTimeProvider time, IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddPreauGate(builder.Configuration, gate =>
        {
            // what a host supplies: routes, lanes, sign-in and machine paths
            gate.Routes.Status = "/api/v1/gate/status";
            gate.Routes.Waiting = "/attente";
            gate.Routes.PublicStatus = "/statut";
            if (gate.Lanes.Count == 0)
            {
                gate.Lanes["Staff"] = new GateLaneOptions { Share = 15, Priority = 0, Profiles = ["Teacher", "Staff"] };
                gate.Lanes["Pupil"] = new GateLaneOptions { Share = 70, Priority = 1, Profiles = ["Pupil"] };
                gate.Lanes["Parent"] = new GateLaneOptions { Share = 15, Priority = 1, Profiles = ["Parent"] };
                gate.AnonymousLane = "Pupil";
            }
            gate.CookieName = "preau_gate";
            gate.TicketHeader = "X-Preau-Gate";
            gate.SignInPaths.Add("/connexion");
            gate.BypassPaths.Add("/healthz");
            gate.Texts.ProfilePlurals["Parent"] = "parents";
            gate.ResolveUser = static context =>
                context.Request.Headers["X-Test-User"].ToString().Split(':') is [var id, var profile] ? new GateUser(id, profile) : null;
            gate.IsEssential = static context => context.Request.Path.StartsWithSegments("/devoirs");
        });
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Ip"] is { Count: > 0 } ip ? ip.ToString() : "198.51.100.1");
            return next(context);
        });
        app.Use(async (context, next) =>
        {
            // the host's exception handler: an unexpected exception becomes a bare 500
            try
            {
                await next(context);
            }
            catch (Exception) when (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        });
        app.UseRouting();
        app.UsePreauGate();
        app.MapPreauGate();
        app.MapGet("/", () => "Accueil");
        app.MapGet("/api/v1/things", () => TypedResults.Ok(new { Ok = true }));
        app.MapGet("/css/site.css", () => "body{}");
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/devoirs", (HttpContext context) => context.Features.Get<IGateFeature>()?.Status.State.ToString() ?? "admis");
        app.MapPost("/deconnexion", async (HttpContext context, IPreauGate gate) =>
        {
            await gate.ReleaseAsync(context);
            return "Au revoir";
        });
        app.MapPost("/connexion", (HttpContext context, IPreauGate gate) => gate.Hold(context, TimeSpan.FromSeconds(5), returnUrl: "/connexion"));
        app.MapGet("/bad-input", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
        app.MapGet("/throws", (Func<string>)(() => throw new FormatException("edge date")));
        app.MapGet("/times-out", (Func<string>)(() => throw new TimeoutException("database")));
        app.MapPost("/message", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            return "Reçu : " + form["body"];
        }).DisableAntiforgery();
        await app.StartAsync();
        return new GateTestApp(app);
    }

    public static Dictionary<string, string?> Settings(int maxActive, double rate = 100, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gate:MaxActiveUsers"] = maxActive.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gate:MaxAdmissionsPerSecond"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gate:InitialAdmissionsPerSecond"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gate:MinAdmissionsPerSecond"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gate:FairStartWindow"] = "00:00:00",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// One browser: keeps its gate cookie like a real one would. A returning browser (the default) already holds
/// a ticket from an earlier visit, as every real browser does after its first page; a new one has none.
/// </summary>
internal sealed class Visitor(HttpClient client, string? user = null, string? ip = null, bool returning = true)
{
    private bool _proven = !returning;

    public string? Cookie { get; set; }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, bool json = false, HttpContent? content = null)
    {
        if (!_proven && Cookie is null && user is null)
        {
            _proven = true;
            using var first = await SendAsync(HttpMethod.Get, "/api/v1/gate/status", json: true);
        }
        _proven = true;
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", "preau_gate=" + Cookie);
        }
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
        }
        if (ip is not null)
        {
            request.Headers.Add("X-Test-Ip", ip);
        }
        request.Headers.Add("Accept", json ? "application/json" : "text/html");
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("X-Preau-Gate", out var values))
        {
            Cookie = values.First();
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path, bool json = false) => SendAsync(HttpMethod.Get, path, json);

    /// <summary>The same browser, talking to another node.</summary>
    public Visitor On(HttpClient other) => new(other, user, ip, returning: false) { Cookie = Cookie };

    public async Task<JsonElement> StatusAsync()
    {
        using var response = await GetAsync("/api/v1/gate/status", json: true);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
