using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Admission;

namespace Preau.Gate.Tests.Middleware;

public sealed class GateMiddlewareTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 7, 59, 0, TimeSpan.Zero)); // 8:59 in Paris

    [Fact]
    public async Task Request_CapacityFree_PassesThroughWithSignedTicket()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 10));
        var visitor = new Visitor(app.Client);

        using var response = await visitor.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Accueil", await response.Content.ReadAsStringAsync());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("preau_gate=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("admitted", (await visitor.StatusAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Request_GateDisabled_EveryoneIsAdmitted()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1, 100, ("Gate:Enabled", "false")));
        using var _ = await new Visitor(app.Client).GetAsync("/");

        using var second = await new Visitor(app.Client).GetAsync("/");
        var status = await new Visitor(app.Client).StatusAsync();

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("admitted", status.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Request_GateFull_ShowsSmallFrenchWaitingPageWithMetaRefresh()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        using var _ = await new Visitor(app.Client).GetAsync("/");
        _time.Advance(TimeSpan.FromSeconds(1));

        using var response = await new Visitor(app.Client).GetAsync("/");
        var body = await response.Content.ReadAsByteArrayAsync();
        var html = System.Text.Encoding.UTF8.GetString(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter is not null);
        Assert.InRange(body.Length, 1, 5 * 1024);
        Assert.Contains("lang=\"fr\"", html, StringComparison.Ordinal);
        Assert.Contains("http-equiv=\"refresh\"", html, StringComparison.Ordinal);
        Assert.Contains("file d'attente", html, StringComparison.Ordinal);
        Assert.Contains("Votre place", html, StringComparison.Ordinal);
        Assert.Contains("Attente estimée", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Queued_ReturnsStatePositionEtaAndRefresh()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1, rate: 1));
        using var _ = await new Visitor(app.Client).GetAsync("/");
        var second = new Visitor(app.Client);
        var third = new Visitor(app.Client);
        using var __ = await second.GetAsync("/");

        var status = await third.StatusAsync();

        Assert.Equal("queued", status.GetProperty("state").GetString());
        Assert.Equal(2, status.GetProperty("position").GetInt64());
        var eta = status.GetProperty("etaSeconds");
        Assert.True(eta.GetProperty("low").GetInt32() <= eta.GetProperty("high").GetInt32());
        Assert.True(eta.GetProperty("high").GetInt32() > 0);
        Assert.True(status.GetProperty("refreshSeconds").GetInt32() >= 2);
    }

    [Fact]
    public async Task Request_StaticHealthAndStatusPages_NeverQueued()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        using var _ = await new Visitor(app.Client).GetAsync("/");
        _time.Advance(TimeSpan.FromSeconds(1));
        var queued = new Visitor(app.Client);
        using var page = await queued.GetAsync("/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);

        using var css = await queued.GetAsync("/css/site.css");
        using var health = await queued.GetAsync("/healthz");
        using var statut = await queued.GetAsync("/statut");
        using var api = await queued.GetAsync("/api/v1/things", json: true);

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, statut.StatusCode);
        Assert.Contains("File d'attente", await statut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("queued", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Statut_NoQueue_SaysOpen()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 10));

        using var statut = await new Visitor(app.Client).GetAsync("/statut");

        Assert.Contains("Ouvert", await statut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ForgedTicket_GrantsNoAdmission()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        var admitted = new Visitor(app.Client);
        using var _ = await admitted.GetAsync("/");
        _time.Advance(TimeSpan.FromSeconds(1));
        var cookie = admitted.Cookie!;
        var forger = new Visitor(app.Client) { Cookie = "x" + cookie[1..] };

        using var response = await forger.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Request_SignedInUserOnSecondDevice_KeepsAdmissionAndPlace()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1, rate: 1));
        using var _ = await new Visitor(app.Client, "t1:Teacher").GetAsync("/");
        using var queuedOnPhone = await new Visitor(app.Client, "p1:Pupil").GetAsync("/");
        using var __ = await new Visitor(app.Client, "p2:Pupil").GetAsync("/");

        using var teacherLaptop = await new Visitor(app.Client, "t1:Teacher").GetAsync("/");
        var pupilLaptop = await new Visitor(app.Client, "p1:Pupil").StatusAsync();

        Assert.Equal(HttpStatusCode.OK, teacherLaptop.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, queuedOnPhone.StatusCode);
        Assert.Equal(1, pupilLaptop.GetProperty("position").GetInt64());
    }

    [Fact]
    public async Task Request_OneAccountHammering_Gets429WithRetryAfterAndFrenchPage()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 100, 100,
            ("Gate:Limits:PerAccount:PermitsPerSecond", "1"), ("Gate:Limits:PerAccount:Burst", "3")));
        var hammer = new Visitor(app.Client, "h:Pupil", "192.0.2.10");
        var classmate = new Visitor(app.Client, "c:Pupil", "192.0.2.10");

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await hammer.GetAsync("/");
            codes.Add(r.StatusCode);
        }
        using var refused = await hammer.GetAsync("/");
        _time.Advance(TimeSpan.FromSeconds(1));
        using var other = await classmate.GetAsync("/");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Trop de demandes", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Request_FiveHundredPupilsBehindOneSchoolAddress_AllGetIn()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1000, rate: 1000));
        var ok = 0;
        for (var i = 0; i < 500; i++)
        {
            var pupil = new Visitor(app.Client, $"p{i}:Pupil", "192.0.2.10");
            using var first = await pupil.GetAsync("/");
            using var second = await pupil.GetAsync("/api/v1/things", json: true);
            ok += first.StatusCode == HttpStatusCode.OK && second.StatusCode == HttpStatusCode.OK ? 1 : 0;
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(500, ok);
    }

    [Fact]
    public async Task Request_ClientDroppingCookies_CannotMintTicketsEndlessly()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 100, 100,
            ("Gate:Limits:NewVisitorsPerIp:PermitsPerSecond", "1"), ("Gate:Limits:NewVisitorsPerIp:Burst", "3")));

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var r = await new Visitor(app.Client, ip: "203.0.113.50").GetAsync("/");
            codes.Add(r.StatusCode);
        }
        _time.Advance(TimeSpan.FromSeconds(1));
        using var otherAddress = await new Visitor(app.Client, ip: "192.0.2.10").GetAsync("/");

        Assert.Equal(HttpStatusCode.TooManyRequests, codes[3]);
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
    }

    /// <summary>A home connection holds a whole IPv6 /64 and may use a new address in it for every request.</summary>
    [Fact]
    public async Task Request_NewAddressOfOneIPv6NetworkEachTime_CannotMintTicketsEndlessly()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 100, 100,
            ("Gate:Limits:NewVisitorsPerIp:PermitsPerSecond", "1"), ("Gate:Limits:NewVisitorsPerIp:Burst", "3")));

        var codes = new List<HttpStatusCode>();
        foreach (var ip in new[] { "2001:db8:1:2::a", "2001:db8:1:2::b", "2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::d" })
        {
            using var r = await new Visitor(app.Client, ip: ip).GetAsync("/");
            codes.Add(r.StatusCode);
        }
        _time.Advance(TimeSpan.FromSeconds(1));
        using var neighbour = await new Visitor(app.Client, ip: "2001:db8:1:3::a").GetAsync("/");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
    }

    [Fact]
    public async Task SignIn_NewAddressOfOneIPv6NetworkEachTime_IsSlowedDownAsOneAddress()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 100, 100,
            ("Gate:Limits:SignInPerIp:PermitsPerSecond", "1"), ("Gate:Limits:SignInPerIp:Burst", "5")));

        var codes = new List<HttpStatusCode>();
        for (var i = 1; i <= 6; i++)
        {
            using var r = await new Visitor(app.Client, ip: $"2001:db8:aa:bb::{i:x}").SendAsync(HttpMethod.Post, "/connexion");
            codes.Add(r.StatusCode);
        }
        // an IPv4 client seen through a dual-stack socket is the same client as seen through an IPv4 one
        var mapped = new List<HttpStatusCode>();
        foreach (var ip in new[] { "203.0.113.9", "::ffff:203.0.113.9", "203.0.113.9", "::ffff:203.0.113.9", "203.0.113.9", "::ffff:203.0.113.9" })
        {
            using var r = await new Visitor(app.Client, ip: ip).SendAsync(HttpMethod.Post, "/connexion");
            mapped.Add(r.StatusCode);
        }

        Assert.Equal(5, codes.Count(c => c == HttpStatusCode.ServiceUnavailable)); // held by the login lane
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[5]);
        Assert.Equal(HttpStatusCode.TooManyRequests, mapped[5]);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, mapped[..5]);
    }

    [Fact]
    public async Task SignIn_OneAddressHammeringLogin_IsSlowedDown()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 100, 100,
            ("Gate:Limits:SignInPerIp:PermitsPerSecond", "1"), ("Gate:Limits:SignInPerIp:Burst", "5")));
        var attacker = new Visitor(app.Client, ip: "203.0.113.9");

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var r = await attacker.SendAsync(HttpMethod.Post, "/connexion");
            codes.Add(r.StatusCode);
        }
        using var elsewhere = await new Visitor(app.Client, ip: "192.0.2.10").SendAsync(HttpMethod.Post, "/connexion");

        Assert.Equal(5, codes.Count(c => c == HttpStatusCode.ServiceUnavailable)); // held by the login lane
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[5]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Hold_SignInLaneFull_Returns503WithRetryAfterAndFrenchPage()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 10));

        using var response = await new Visitor(app.Client).SendAsync(HttpMethod.Post, "/connexion");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("Connexion en attente", html, StringComparison.Ordinal);
        Assert.Contains("http-equiv=\"refresh\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ParentsWindowClosedDuringMorning_ExplainsAndGivesReopeningTime()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 10, 100,
            ("Gate:Windows:0:Profile", "Parent"), ("Gate:Windows:0:From", "08:00"), ("Gate:Windows:0:To", "10:00"), ("Gate:Windows:0:OnlyDuringSurge", "false")));
        var parent = new Visitor(app.Client, "par1:Parent");

        using var page = await parent.GetAsync("/");
        var status = await parent.StatusAsync();
        using var pupil = await new Visitor(app.Client, "p1:Pupil").GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("Réouverture à 10 h 00", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("closed", status.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, pupil.StatusCode);
    }

    [Fact]
    public async Task Request_EssentialPathWhileQueued_PassesWithQueueStatus()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        using var _ = await new Visitor(app.Client).GetAsync("/");
        _time.Advance(TimeSpan.FromSeconds(1));
        var queued = new Visitor(app.Client, "p9:Pupil");

        using var homework = await queued.GetAsync("/devoirs");

        Assert.Equal(HttpStatusCode.OK, homework.StatusCode);
        Assert.Equal("Queued", await homework.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Release_Logout_LetsTheNextVisitorIn()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        var leaving = new Visitor(app.Client, "u1:Pupil");
        using var _ = await leaving.GetAsync("/");
        var waiting = new Visitor(app.Client);
        using var before = await waiting.GetAsync("/");

        using var __ = await leaving.SendAsync(HttpMethod.Post, "/deconnexion");
        _time.Advance(TimeSpan.FromSeconds(1));
        using var after = await waiting.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Request_AdmittedUserAfterLimitLowered_IsNotThrownOut()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 2));
        var working = new Visitor(app.Client, "u1:Pupil");
        using var _ = await working.GetAsync("/");
        var limits = (GateLimits)app.Services.GetService(typeof(GateLimits))!;

        limits.Update(v => v with { MaxActiveUsers = 1 });
        var codes = new List<HttpStatusCode>();
        for (var minute = 0; minute < 45; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            using var r = await working.GetAsync("/");
            codes.Add(r.StatusCode);
        }

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
    }

    [Fact]
    public async Task Metrics_Traffic_PublishedOnPreauGateMeter()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        var meters = app.Services.GetService(typeof(IMeterFactory));
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Preau.Gate" && ReferenceEquals(instrument.Meter.Scope, meters)) // this app's, not a parallel test's
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => seen[i.Name] = seen.GetValueOrDefault(i.Name) + v);
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => seen[i.Name] = seen.GetValueOrDefault(i.Name) + v);
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => seen[i.Name] = seen.GetValueOrDefault(i.Name) + v);
        listener.Start();

        using var _ = await new Visitor(app.Client).GetAsync("/");
        _time.Advance(TimeSpan.FromSeconds(1));
        using var __ = await new Visitor(app.Client).GetAsync("/");
        await ((GateMonitor)app.Services.GetService(typeof(GateMonitor))!).RefreshAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen["preau.gate.admitted"]);
        Assert.Equal(1, seen["preau.gate.queue.length"]);
        Assert.True(seen.ContainsKey("preau.gate.active_users"));
        Assert.True(seen.ContainsKey("preau.gate.admission_rate"));
        Assert.True(seen.ContainsKey("preau.gate.departure_rate"));
        Assert.True(seen.ContainsKey("preau.gate.stay.held"));
    }

    [Fact]
    public async Task Status_SuccessivePolls_WaitNeverRisesUntilCapacityDrops()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 3, rate: 2));
        var limits = (GateLimits)app.Services.GetService(typeof(GateLimits))!;
        var monitor = (GateMonitor)app.Services.GetService(typeof(GateMonitor))!;
        var queued = new List<Visitor>();
        for (var i = 0; i < 40; i++)
        {
            var visitor = new Visitor(app.Client, $"u{i}:Pupil");
            using var _ = await visitor.GetAsync("/");
            queued.Add(visitor);
        }
        var last = queued[^1];

        var highs = new List<int>();
        for (var poll = 0; poll < 12; poll++)
        {
            var status = await last.StatusAsync();
            highs.Add(status.GetProperty("etaSeconds").GetProperty("high").GetInt32());
            Assert.Equal(JsonValueKind.Null, status.GetProperty("message").ValueKind);
            foreach (var other in queued.Take(queued.Count - 1))
            {
                await other.StatusAsync(); // still waiting: people who stop polling would stop counting
            }
            _time.Advance(TimeSpan.FromSeconds(5));
            await monitor.RefreshAsync();
        }
        Assert.Equal(highs.OrderDescending(), highs);

        limits.Update(v => v with { MaxActiveUsers = 1 }); // every place taken: only fewer places make the wait longer
        for (var attempt = 0; attempt < 250 && (await monitor.RefreshAsync()).CapacityEpoch == 0; attempt++)
        {
            await Task.Delay(20);
        }
        _time.Advance(TimeSpan.FromSeconds(5));
        await monitor.RefreshAsync();
        using var page = await last.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.True(html.Contains("La capacité d'accueil vient de baisser", StringComparison.Ordinal), html);
    }

    [Fact]
    public async Task Request_ArrivalsWhenQueueForms_WaitForTheDrawThenGetNumbers()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 100, 1, ("Gate:FairStartWindow", "00:00:10")));
        using var _ = await new Visitor(app.Client).GetAsync("/");
        var rush = Enumerable.Range(0, 6).Select(i => new Visitor(app.Client, $"u{i}:Pupil")).ToList();
        var during = new List<JsonElement>();
        foreach (var visitor in rush)
        {
            during.Add(await visitor.StatusAsync());
        }
        using var page = await rush[0].GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        _time.Advance(TimeSpan.FromSeconds(10));
        var after = new List<JsonElement>();
        foreach (var visitor in rush)
        {
            after.Add(await visitor.StatusAsync());
        }
        var positions = after.Where(s => s.GetProperty("state").GetString() == "queued").Select(s => s.GetProperty("position").GetInt64()).ToList();

        Assert.All(during, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("position").ValueKind));
        Assert.All(during, s => Assert.Equal("queued", s.GetProperty("state").GetString()));
        Assert.Contains("Tirage au sort", html, StringComparison.Ordinal);
        Assert.Single(after, s => s.GetProperty("state").GetString() == "admitted"); // one second of admissions at 1/s
        Assert.Equal(Enumerable.Range(1, 5).Select(p => (long)p), positions.Order());
    }
}
