using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Middleware;

/// <summary>Issue 11 on a fake clock: one person one place, overload not noise, a promise that holds, no form lost.</summary>
public sealed class GateHonestyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 7, 59, 0, TimeSpan.Zero));

    private static Dictionary<string, string?> Defaults(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task Request_LoneVisitorOnIdleNodeWithRateAtItsFloor_IsAdmitted()
    {
        await using var app = await GateTestApp.StartAsync(_time, Defaults());
        var store = app.Services.GetRequiredService<IGateStore>();
        var limits = app.Services.GetRequiredService<GateLimits>();
        for (var i = 0; i < 6; i++) // the rate cut to its floor (1 user/s) by earlier trouble
        {
            _time.Advance(TimeSpan.FromSeconds(6));
            await store.AdjustRateAsync(RateSignal.Decrease, _time.GetUtcNow().ToUnixTimeMilliseconds(), 5000, 2, 0.5, limits.Policy);
        }
        var visitor = new Visitor(app.Client, returning: false);

        var codes = new List<HttpStatusCode>();
        foreach (var path in new[] { "/", "/", "/api/v1/things", "/", "/devoirs" })
        {
            using var response = await visitor.GetAsync(path);
            codes.Add(response.StatusCode);
        }

        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
        Assert.Equal("admitted", (await visitor.StatusAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Request_CookielessFloodWhileQueued_MintsNothingAndLeavesPositionsAlone()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        var store = app.Services.GetRequiredService<IGateStore>();
        var limits = app.Services.GetRequiredService<GateLimits>();
        using var _ = await new Visitor(app.Client, "teacher:Teacher").GetAsync("/");
        var pupil = new Visitor(app.Client, "pupil1:Pupil");
        using var __ = await pupil.GetAsync("/");
        var before = await pupil.StatusAsync();

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 3000; i++)
        {
            using var response = await new Visitor(app.Client, ip: $"203.0.113.{i % 100}", returning: false).GetAsync("/");
            flood.Add(response.StatusCode);
        }
        var after = await pupil.StatusAsync();
        var second = new Visitor(app.Client, "pupil2:Pupil");
        using var ___ = await second.GetAsync("/");
        var snapshot = await store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), limits.Policy);

        Assert.All(flood, c => Assert.Equal(HttpStatusCode.ServiceUnavailable, c));
        Assert.Equal(1, before.GetProperty("position").GetInt64());
        Assert.Equal(1, after.GetProperty("position").GetInt64());
        Assert.Equal(2, (await second.StatusAsync()).GetProperty("position").GetInt64());
        Assert.Equal(2, snapshot.WaitingTotal);
        Assert.Equal(1, snapshot.ActiveTotal);
        Assert.True(after.GetProperty("etaSeconds").GetProperty("high").GetInt32() <= before.GetProperty("etaSeconds").GetProperty("high").GetInt32());
    }

    [Fact]
    public async Task Request_NewcomerWhileQueued_GetsWaitingPageWithoutPositionAndATicketToBringBack()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        using var _ = await new Visitor(app.Client).GetAsync("/");
        _time.Advance(TimeSpan.FromSeconds(3)); // newcomers read a snapshot of the queue at most two seconds old
        var newcomer = new Visitor(app.Client, returning: false);

        using var first = await newcomer.GetAsync("/");
        var firstHtml = await first.Content.ReadAsStringAsync();
        using var second = await newcomer.GetAsync("/");
        var secondHtml = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.DoesNotContain("id=\"pos\"", firstHtml, StringComparison.Ordinal);
        Assert.Contains("prochain rafraîchissement", firstHtml, StringComparison.Ordinal);
        Assert.NotNull(newcomer.Cookie);
        Assert.Contains("<p class=\"big\" id=\"pos\">1</p>", secondHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_BurstOfBadInputThenServerTimeouts_OnlyTimeoutsCutTheRate()
    {
        await using var app = await GateTestApp.StartAsync(_time, Defaults(
            ("Gate:InitialAdmissionsPerSecond", "10"), ("Gate:WarmUp", "00:00:00"), ("Gate:FairStartWindow", "00:00:00")));
        var controller = app.Services.GetRequiredService<AdmissionController>();
        var store = app.Services.GetRequiredService<IGateStore>();
        var limits = app.Services.GetRequiredService<GateLimits>();
        var user = new Visitor(app.Client, "clumsy:Pupil");

        for (var i = 0; i < 40; i++)
        {
            using var bad = await user.GetAsync(i % 2 == 0 ? "/bad-input" : "/throws");
            Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        }
        await controller.EvaluateAsync();
        var afterBadInput = (await store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), limits.Policy)).Rate;

        _time.Advance(TimeSpan.FromSeconds(6));
        using var timeout = await user.GetAsync("/times-out");
        await controller.EvaluateAsync();
        var afterTimeout = (await store.SnapshotAsync(_time.GetUtcNow().ToUnixTimeMilliseconds(), limits.Policy)).Rate;

        Assert.Equal(10, afterBadInput, 3);
        Assert.Equal(5, afterTimeout, 3);
        var decisions = controller.Decisions;
        Assert.Equal(("decrease", "server-failures", 1), (decisions[0].Decision, decisions[0].Reason, decisions[0].ServerFailures));
        Assert.Contains(decisions, d => d.Decision == "hold" && d.InputFailures == 40);
    }

    [Fact]
    public async Task Promise_EveryPlaceTakenAndDeparturesAtKnownRate_MatchesRealWaitWithin25Percent()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 5, 100));
        var monitor = app.Services.GetRequiredService<GateMonitor>();
        var admitted = new Queue<Visitor>();
        var waiting = new List<Visitor>();
        var next = 0;
        Visitor NewPupil() => new(app.Client, $"p{next++}:Pupil");
        for (var i = 0; i < 5; i++)
        {
            var v = NewPupil();
            using var _ = await v.GetAsync("/");
            admitted.Enqueue(v);
        }
        for (var i = 0; i < 20; i++)
        {
            var v = NewPupil();
            using var _ = await v.GetAsync("/");
            waiting.Add(v);
        }

        // one person leaves every 4 s and one arrives; everyone waiting polls every second
        Visitor? probe = null;
        DateTimeOffset probeSince = default;
        (int Low, int High) promised = default;
        double? real = null;
        for (var second = 1; second <= 400 && real is null; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            if (second % 4 == 0)
            {
                using var _ = await admitted.Dequeue().SendAsync(HttpMethod.Post, "/deconnexion");
                var arriving = NewPupil();
                using var __ = await arriving.GetAsync("/");
                waiting.Add(arriving);
            }
            if (second == 120)
            {
                probe = NewPupil();
                var status = await probe.StatusAsync();
                var eta = status.GetProperty("etaSeconds");
                promised = (eta.GetProperty("low").GetInt32(), eta.GetProperty("high").GetInt32());
                probeSince = _time.GetUtcNow();
                waiting.Add(probe);
            }
            foreach (var v in waiting.ToList())
            {
                if ((await v.StatusAsync()).GetProperty("state").GetString() == "admitted")
                {
                    waiting.Remove(v);
                    admitted.Enqueue(v);
                    if (v == probe)
                    {
                        real = (_time.GetUtcNow() - probeSince).TotalSeconds;
                    }
                }
            }
            await monitor.RefreshAsync();
        }

        Assert.NotNull(real);
        Assert.True(PromiseLedger.Holds(promised.Low, promised.High, real.Value),
            string.Create(CultureInfo.InvariantCulture, $"promised {promised.Low}–{promised.High} s, waited {real} s"));
        var overview = await app.Services.GetRequiredService<IPreauGate>().GetOverviewAsync();
        Assert.True(overview.Promises.Measured > 0);
        Assert.InRange(overview.DeparturesPerSecond, 0.2, 0.3);
        // five places, one sign-out every 4 s: each place is held 20 s, and nobody left without signing out
        Assert.NotNull(overview.Stays);
        Assert.InRange(overview.Stays.MeanSignOutSeconds, 15, 25);
        Assert.Equal(0, overview.Stays.WalkAwayShare);
    }

    [Fact]
    public async Task Promise_FirstNumberAfterWaitingWithoutOne_IsAWholeStayAndMeasuredFromWhenShown()
    {
        var (before, shown, waiting, promises) = await HundredSecondStaysAsync(churnRounds: 0);

        Assert.Empty(waiting);
        Assert.True(Estimating(before));
        Assert.Equal(5, shown.Count);
        Assert.Equal(5, promises.Measured); // the first five were let in before any number
        Assert.All(promises.Recent, p => Assert.InRange(p.ActualSeconds, 90, 110)); // not the 200 s since they queued
        Assert.All(promises.Recent, p => Assert.True(p.Held, $"promised {p.PromisedLow}–{p.PromisedHigh} s, waited {p.ActualSeconds} s"));
    }

    [Fact]
    public async Task Promise_OnePupilSignedInAndOutAgainAndAgainBefore_StillAWholeStay()
    {
        // while places were free, one pupil signed in and out 300 times, a second each: their stays must not become
        // everyone's, or the people waiting for a 100 s stay are promised a second
        var (_, _, waiting, promises) = await HundredSecondStaysAsync(churnRounds: 300);

        Assert.Empty(waiting);
        Assert.Equal(5, promises.Measured);
        Assert.All(promises.Recent, p => Assert.True(p.Held, $"promised {p.PromisedLow}–{p.PromisedHigh} s, waited {p.ActualSeconds} s"));
    }

    /// <summary>
    /// Five places; after <paramref name="churnRounds"/> sign-ins and sign-outs of one pupil, five pupils take the
    /// places and ten queue before anyone has left; everyone stays 100 s and those waiting poll every second. At 100 s
    /// the first five leave and the snapshot shows five free places: the five behind, polling next, still have a whole
    /// stay to wait. Returns the last one's first status, when each was first shown a number, who is still waiting,
    /// and the promises measured.
    /// </summary>
    private async Task<(JsonElement Before, Dictionary<Visitor, int> Shown, List<Visitor> Waiting, GatePromiseAccuracy Promises)> HundredSecondStaysAsync(int churnRounds)
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 5, 100));
        var monitor = app.Services.GetRequiredService<GateMonitor>();
        var next = 0;
        Visitor NewPupil() => new(app.Client, $"p{next++}:Pupil");
        var churner = NewPupil();
        for (var round = 0; round < churnRounds; round++)
        {
            using (var page = await churner.GetAsync("/"))
            {
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }
            _time.Advance(TimeSpan.FromSeconds(1));
            using var _ = await churner.SendAsync(HttpMethod.Post, "/deconnexion");
            await monitor.RefreshAsync();
        }
        var first = Enumerable.Range(0, 5).Select(_ => NewPupil()).ToList();
        foreach (var v in first)
        {
            using var _ = await v.GetAsync("/");
        }
        var waiting = Enumerable.Range(0, 10).Select(_ => NewPupil()).ToList();
        foreach (var v in waiting)
        {
            using var _ = await v.GetAsync("/");
        }
        await monitor.RefreshAsync();
        var before = await waiting[9].StatusAsync();

        var inSince = first.ToDictionary(v => v, _ => 0);
        var shown = new Dictionary<Visitor, int>();
        for (var second = 1; second <= 400 && waiting.Count > 0; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            foreach (var v in inSince.Where(p => second - p.Value >= 100).Select(p => p.Key).ToList())
            {
                using var _ = await v.SendAsync(HttpMethod.Post, "/deconnexion");
                inSince.Remove(v);
            }
            await monitor.RefreshAsync();
            foreach (var v in waiting.ToList())
            {
                var status = await v.StatusAsync();
                if (status.GetProperty("state").GetString() == "admitted")
                {
                    waiting.Remove(v);
                    inSince[v] = second;
                }
                else if (!shown.ContainsKey(v) && !Estimating(status))
                {
                    shown[v] = second;
                }
            }
        }

        return (before, shown, waiting, (await app.Services.GetRequiredService<IPreauGate>().GetOverviewAsync()).Promises);
    }

    private static bool Estimating(JsonElement status) =>
        EtaEstimator.IsEstimating(status.GetProperty("etaSeconds").GetProperty("low").GetInt32(), status.GetProperty("etaSeconds").GetProperty("high").GetInt32());

    [Fact]
    public async Task Promise_DrawStartedAsTheLastPlaceWasTaken_NotPromisedAPlaceTheSnapshotStillShowedFree()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 5, 100, ("Gate:FairStartWindow", "00:00:10")));
        var monitor = app.Services.GetRequiredService<GateMonitor>();
        await monitor.RefreshAsync(); // the snapshot the next two seconds read: five places free
        for (var i = 0; i < 5; i++)
        {
            using var _ = await new Visitor(app.Client, $"in{i}:Pupil").GetAsync("/");
        }
        var late = new Visitor(app.Client, "late:Pupil");

        using var page = await late.GetAsync("/");
        var status = await late.StatusAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("queued", status.GetProperty("state").GetString());
        // nobody has left yet: how long they stay is not known, and the page says so (it said "10 à 11 s")
        Assert.Equal((0, EtaEstimator.MaxSeconds),
            (status.GetProperty("etaSeconds").GetProperty("low").GetInt32(), status.GetProperty("etaSeconds").GetProperty("high").GetInt32()));
    }

    [Theory]
    [InlineData(5, false)] // four places free for a draw heading for eight: who gets one is the draw's luck
    [InlineData(50, true)] // forty-nine places free: everyone drawn comes in at the admission rate
    public async Task Promise_DrawMayOutgrowThePlacesFree_NoNumberUntilItEnds(int maxActive, bool numbered)
    {
        // the rate runs out before the places: the draw starts with places still free
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive, 1, ("Gate:FairStartWindow", "00:00:10")));
        await app.Services.GetRequiredService<GateMonitor>().RefreshAsync();
        using var _ = await new Visitor(app.Client, "in:Pupil").GetAsync("/");
        foreach (var name in new[] { "d1", "d2", "d3" })
        {
            using var drawn = await new Visitor(app.Client, name + ":Pupil").GetAsync("/");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, drawn.StatusCode);
        }
        _time.Advance(TimeSpan.FromSeconds(5)); // half the draw gone, four in it: eight at its end at this pace
        var late = new Visitor(app.Client, "late:Pupil");

        var status = await late.StatusAsync();

        Assert.Equal("queued", status.GetProperty("state").GetString());
        var (low, high) = (status.GetProperty("etaSeconds").GetProperty("low").GetInt32(), status.GetProperty("etaSeconds").GetProperty("high").GetInt32());
        // before: "5 à 8 s" with four places for eight (the snapshot showed nobody waiting), and half waited a whole stay
        Assert.Equal(numbered, !EtaEstimator.IsEstimating(low, high));
        // without a number, back when the draw ends and the place is numbered; with one, at half its low end
        Assert.Equal(numbered ? 2 : 5, status.GetProperty("refreshSeconds").GetInt32());
    }

    [Fact]
    public async Task Refresh_NoNumberYet_ComesBackWhenTheDrawEndsAndWhenThePlaceComesUp()
    {
        // the rate in slow start: no number is shown, but the page need not sleep a full refresh
        await using var app = await GateTestApp.StartAsync(_time, Defaults(
            ("Gate:InitialAdmissionsPerSecond", "1"), ("Gate:MinAdmissionsPerSecond", "1"), ("Gate:MaxAdmissionsPerSecond", "50"),
            ("Gate:FairStartWindow", "00:00:10"), ("Gate:RefreshSeconds", "10"), ("Gate:WarmUp", "00:00:00")));
        using var _ = await new Visitor(app.Client, "first:Pupil").GetAsync("/"); // takes this second's place
        var early = new Visitor(app.Client, "early:Pupil");
        var late = new Visitor(app.Client, "late:Pupil");

        var earlyInDraw = await early.StatusAsync();
        _time.Advance(TimeSpan.FromSeconds(4));
        var lateInDraw = await late.StatusAsync();
        _time.Advance(TimeSpan.FromSeconds(6.5)); // the draw is over
        var numbered = new[] { await early.StatusAsync(), await late.StatusAsync() };

        Assert.Equal(("queued", 10), (earlyInDraw.GetProperty("state").GetString(), earlyInDraw.GetProperty("refreshSeconds").GetInt32()));
        Assert.Equal(("queued", 6), (lateInDraw.GetProperty("state").GetString(), lateInDraw.GetProperty("refreshSeconds").GetInt32()));
        Assert.True(Estimating(lateInDraw));
        // the draw decides who goes first; the other is next in line, at one a second
        var waiting = Assert.Single(numbered, n => n.GetProperty("state").GetString() == "queued");
        Assert.Single(numbered, n => n.GetProperty("state").GetString() == "admitted");
        Assert.Equal(1, waiting.GetProperty("position").GetInt64());
        Assert.True(Estimating(waiting));
        Assert.Equal(2, waiting.GetProperty("refreshSeconds").GetInt32()); // it was 10
    }

    [Fact]
    public async Task Post_FormWhileQueued_KeepsWhatWasTypedAndPostsItWhenLetIn()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        var first = new Visitor(app.Client);
        using var _ = await first.GetAsync("/");
        var writer = new Visitor(app.Client);
        var typed = new Dictionary<string, string> { ["body"] = "Bonjour à tous, \"rendez-vous\" <demain> & après", ["__RequestVerificationToken"] = "jeton" };

        using var queued = await writer.SendAsync(HttpMethod.Post, "/message", content: new FormUrlEncodedContent(typed));
        var html = await queued.Content.ReadAsStringAsync();
        using var __ = await first.SendAsync(HttpMethod.Post, "/deconnexion");
        _time.Advance(TimeSpan.FromSeconds(1));
        using var reposted = await writer.SendAsync(HttpMethod.Post, "/message", content: new FormUrlEncodedContent(typed));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, queued.StatusCode);
        Assert.Contains("<form id=\"kept\" method=\"post\" action=\"/message\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"body\" value=\"Bonjour à tous, &quot;rendez-vous&quot; &lt;demain&gt; &amp; après\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\" value=\"jeton\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http-equiv=\"refresh\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reposted.StatusCode);
        Assert.Equal("Reçu : " + typed["body"], await reposted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_ApiCallerWhileQueued_GetsProblemJson503WithRetryAfterAndStatusFields()
    {
        await using var app = await GateTestApp.StartAsync(_time, GateTestApp.Settings(maxActive: 1));
        using var _ = await new Visitor(app.Client).GetAsync("/");
        var api = new Visitor(app.Client);

        using var response = await api.GetAsync("/api/v1/things", json: true);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("File d'attente", problem.GetProperty("title").GetString());
        Assert.Equal("queued", problem.GetProperty("state").GetString());
        Assert.Equal(1, problem.GetProperty("position").GetInt64());
        Assert.True(problem.GetProperty("etaSeconds").GetProperty("high").GetInt32() > 0);
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() >= 1);
    }
}
