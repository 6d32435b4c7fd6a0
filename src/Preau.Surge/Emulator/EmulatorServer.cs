using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Preau.Surge.Accounts;

namespace Preau.Surge.Emulator;

/// <summary>
/// A small Kestrel app speaking the contracts Préau will expose (sign-in, gate, homework), so the
/// simulator can be tested and calibrated without Préau. It lives in the tool rather than only in
/// the tests so the same stand-in can be run by hand (<c>surge emulate</c>) for the benchmark.
/// </summary>
internal sealed class EmulatorServer : IAsyncDisposable
{
    private const string SessionCookie = "preau";
    private const string GateCookie = "preau-gate";

    private readonly WebApplication _app;
    private readonly EmulatorOptions _options;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<long, double> _admitAt = new();
    private readonly SemaphoreSlim _lane;
    private readonly Lock _gateLock = new();
    private long _nextTicket;
    private double _nextSlot;
    private int _waitingForLane;

    private EmulatorServer(WebApplication app, EmulatorOptions options)
    {
        _app = app;
        _options = options;
        _lane = new SemaphoreSlim(options.HashLane, options.HashLane);
    }

    public Uri BaseAddress { get; private set; } = null!;

    private long _signIns;
    private long _gatePages;

    public long SignIns => Interlocked.Read(ref _signIns);

    public long GatePages => Interlocked.Read(ref _gatePages);

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        var server = new EmulatorServer(app, options);
        server.Map();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public static IEnumerable<SeedAccount> AccountsFor(int count) => Enumerable.Range(0, count).Select(Account);

    private static SeedAccount Account(int i)
    {
        var profile = (i % 20) switch
        {
            0 => UserProfile.Teacher,
            1 or 2 or 3 => UserProfile.Parent,
            4 => UserProfile.Staff,
            _ => UserProfile.Pupil,
        };
        return new SeedAccount($"u{i:D7}", $"mdp-{i:D7}", profile, $"ecole-{i / 500}", $"classe-{i / 25}");
    }

    public static Task WriteAccountsCsvAsync(string path, int count, CancellationToken ct) =>
        AccountsCsv.WriteAsync(path, AccountsFor(count), ct);

    private double Now => _clock.Elapsed.TotalSeconds;

    private void Map()
    {
        if (_options.Gate)
        {
            _app.Use(GateAsync);
        }

        _app.MapGet("/api/v1/gate/status", GateStatus);
        _app.MapGet("/", (HttpContext http) => http.Request.Cookies.ContainsKey(SessionCookie)
            ? Results.Content("<!doctype html><title>Préau</title><h1>Tableau de bord</h1>", "text/html; charset=utf-8")
            : Results.Redirect("/connexion"));
        _app.MapGet("/connexion", () => Results.Content("<!doctype html><title>Connexion</title><form method=post></form>", "text/html; charset=utf-8"));
        _app.MapPost("/api/v1/auth/login", (Delegate)LoginAsync);
        _app.MapGet("/api/v1/me", Me);
        if (_options.Homework)
        {
            _app.MapGet("/api/v1/homework", (HttpContext http) => SignedIn(http) is null
                ? Unauthorized()
                : Results.Json(new object[]
                {
                    new { id = 101, title = "Exercices 4 à 7 page 112", attachments = new[] { new { url = "/fichiers/fiche-101.pdf" } } },
                    new { id = 102, title = "Relire la leçon", attachments = Array.Empty<object>() },
                }));
            _app.MapGet("/fichiers/{name}", (string name) => Results.Bytes(new byte[4096], "application/pdf", name));
            _app.MapPost("/api/v1/homework/{id}/done", (HttpContext http) => SignedIn(http) is null ? Unauthorized() : Results.NoContent());
            _app.MapPost("/api/v1/classes/{id}/homework", (HttpContext http) => SignedIn(http) is null ? Unauthorized() : Results.Created("/api/v1/homework/900", new { id = 900 }));
            _app.MapGet("/api/v1/messages/recipients", (HttpContext http) => SignedIn(http) is null
                ? Unauthorized()
                : Results.Json(new { audiences = new[] { new { token = "class:6A", label = "6e A", kind = "class" } }, people = Array.Empty<object>() }));
            _app.MapPost("/api/v1/messages", (HttpContext http) => SignedIn(http) is null ? Unauthorized() : Results.Json(new { id = 700, recipientCount = 28 }));
        }
    }

    private static string? SignedIn(HttpContext http) => http.Request.Cookies.TryGetValue(SessionCookie, out var login) ? login : null;

    private static IResult Unauthorized() => Results.Problem("Connexion requise.", statusCode: 401);

    private IResult Me(HttpContext http)
    {
        if (SignedIn(http) is not { } login || !int.TryParse(login.AsSpan(1), CultureInfo.InvariantCulture, out var i))
        {
            return Unauthorized();
        }

        var a = Account(i);
        return Results.Json(new
        {
            id = i,
            displayName = a.Login,
            profile = a.Profile.ToString(),
            school = a.School,
            classes = a.Profile is UserProfile.Teacher or UserProfile.Pupil ? new[] { new { id = a.Class, subjectId = "maths" } } : [],
            children = a.Profile == UserProfile.Parent ? new[] { new { id = i + 10 } } : [],
        });
    }

    private async Task<IResult> LoginAsync(HttpContext http)
    {
        var body = await http.Request.ReadFromJsonAsync<Dictionary<string, string>>(http.RequestAborted);
        if (body is null || !body.TryGetValue("login", out var login) || !body.TryGetValue("password", out var password))
        {
            return Results.Problem("Identifiant et mot de passe obligatoires.", statusCode: 400);
        }

        if (Interlocked.Increment(ref _waitingForLane) > _options.HashQueue + _options.HashLane)
        {
            Interlocked.Decrement(ref _waitingForLane);
            http.Response.Headers.RetryAfter = "2";
            return Results.Problem("Trop de connexions simultanées, réessayez dans un instant.", statusCode: 503);
        }

        // Like a real hash, the work is not abandoned when the person reloads: that is what makes retry storms hurt.
        await _lane.WaitAsync(CancellationToken.None);
        try
        {
            var until = Stopwatch.GetTimestamp() + (long)(_options.HashCost.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(50);
            }
        }
        finally
        {
            _lane.Release();
            Interlocked.Decrement(ref _waitingForLane);
        }

        if (!int.TryParse(login.AsSpan(1), CultureInfo.InvariantCulture, out var i) || i < 0 || i >= _options.Accounts || Account(i).Password != password)
        {
            return Results.Problem("Identifiant ou mot de passe incorrect.", statusCode: 401, title: "Connexion refusée");
        }

        Interlocked.Increment(ref _signIns);
        http.Response.Cookies.Append(SessionCookie, login, new CookieOptions { HttpOnly = true, Path = "/" });
        var a = Account(i);
        return Results.Json(new { id = i, displayName = a.Login, profile = a.Profile.ToString() });
    }

    /// <summary>Tickets are admitted at a fixed rate; a ticket's admission time is known when issued, so the ETA is exact up to rounding.</summary>
    private async Task GateAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Path.StartsWithSegments("/api/v1/gate", StringComparison.Ordinal))
        {
            await next(http);
            return;
        }

        var now = Now;
        if (!TryTicket(http, out var ticket))
        {
            lock (_gateLock)
            {
                ticket = ++_nextTicket;
                _nextSlot = Math.Max(now, _nextSlot + (1 / _options.AdmitPerSecond));
                _admitAt[ticket] = _nextSlot;
            }

            http.Response.Cookies.Append(GateCookie, ticket.ToString(CultureInfo.InvariantCulture), new CookieOptions { HttpOnly = true, Path = "/" });
        }

        var remaining = _admitAt.GetValueOrDefault(ticket) - now;
        if (remaining <= 0)
        {
            await next(http);
            return;
        }

        Interlocked.Increment(ref _gatePages);
        var status = Status(remaining);
        http.Response.Headers["Preau-Gate"] = "queued";
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            http.Response.StatusCode = 503;
            http.Response.Headers.RetryAfter = status.RefreshSeconds.ToString(CultureInfo.InvariantCulture);
            await http.Response.WriteAsJsonAsync(status, http.RequestAborted);
            return;
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            $"<!doctype html><meta http-equiv=\"refresh\" content=\"{status.RefreshSeconds}\"><title>Salle d'attente</title><p>Vous êtes {status.Position}e dans la file, entrée dans {status.EtaSeconds.Low} à {status.EtaSeconds.High} s.</p>",
            http.RequestAborted);
    }

    private bool TryTicket(HttpContext http, out long ticket)
    {
        ticket = 0;
        return http.Request.Cookies.TryGetValue(GateCookie, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out ticket) && _admitAt.ContainsKey(ticket);
    }

    internal sealed record Eta(int Low, int High);

    internal sealed record GateStatusDto(string State, int Position, Eta EtaSeconds, int RefreshSeconds);

    private GateStatusDto Status(double remaining)
    {
        if (remaining <= 0)
        {
            return new GateStatusDto("admitted", 0, new Eta(0, 0), 0);
        }

        var position = (int)Math.Ceiling(remaining * _options.AdmitPerSecond);
        // A refresh of a sixth of the wait keeps the person's own "real wait" within ~17 % of the
        // promise while 20,000 waiting people poll a few thousand times a second at most, not tens of thousands.
        var refresh = (int)Math.Clamp(Math.Ceiling(remaining / 6), 1, 20);
        return new GateStatusDto("queued", position, new Eta((int)Math.Floor(remaining * 0.9), (int)Math.Ceiling(remaining * 1.1)), refresh);
    }

    private IResult GateStatus(HttpContext http)
    {
        if (!_options.Gate || !TryTicket(http, out var ticket))
        {
            return Results.Json(Status(0));
        }

        return Results.Json(Status(_admitAt[ticket] - Now));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _lane.Dispose();
    }
}
