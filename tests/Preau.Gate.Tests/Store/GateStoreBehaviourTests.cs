using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Store;

/// <summary>One behavioural suite, run against the in-process store and against the real Redis.</summary>
public abstract class GateStoreBehaviourTests
{
    private static readonly LaneRule[] DefaultLanes =
    [
        new("Staff", 0.15, 0),
        new("Pupil", 0.70, 1),
        new("Parent", 0.15, 1),
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 16, 8, 59, 0, TimeSpan.FromHours(1)));

    private protected abstract IGateStore Store { get; }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static AdmissionPolicy Policy(int maxActive = 100, double rate = 1, TimeSpan? fairStart = null, TimeSpan? grace = null, TimeSpan? stale = null) =>
        new(DefaultLanes, maxActive, rate, rate, rate,
            (long)TimeSpan.FromMinutes(20).TotalMilliseconds,
            (long)(grace ?? TimeSpan.FromSeconds(45)).TotalMilliseconds,
            (long)(fairStart ?? TimeSpan.Zero).TotalMilliseconds,
            (long)(stale ?? TimeSpan.Zero).TotalMilliseconds);

    private Task<EnterResult> Enter(string key, AdmissionPolicy policy, string lane = "Pupil", string? alias = null, double draw = 0.5) =>
        Store.EnterAsync(new EnterCommand(key, lane, alias, Now, draw, policy));

    private async Task<List<string>> PollAll(IEnumerable<string> keys, AdmissionPolicy policy, Func<string, string>? laneOf = null)
    {
        var admitted = new List<string>();
        foreach (var key in keys)
        {
            if ((await Enter(key, policy, laneOf?.Invoke(key) ?? "Pupil")).Outcome == EnterOutcome.Admitted)
            {
                admitted.Add(key);
            }
        }
        return admitted;
    }

    [Fact]
    public async Task Enter_QueueEmptyAndCapacityFree_AdmitsAtOnce()
    {
        var result = await Enter("v:first", Policy());

        Assert.Equal(EnterOutcome.Admitted, result.Outcome);
    }

    [Fact]
    public async Task Enter_ArrivalsAfterFairStart_AreServedInArrivalOrder()
    {
        var policy = Policy(rate: 1);
        Assert.Equal(EnterOutcome.Admitted, (await Enter("v:0", policy)).Outcome);
        var keys = Enumerable.Range(1, 8).Select(i => $"v:{i}").ToList();
        var positions = new List<long>();
        foreach (var key in keys)
        {
            positions.Add((await Enter(key, policy)).Position);
        }
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], positions);

        var order = new List<string>();
        var waiting = keys.ToList();
        for (var second = 0; second < keys.Count; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            // polling in reverse order must not matter: the ticket decides, not who refreshes first
            var admitted = await PollAll(Enumerable.Reverse(waiting).ToList(), policy);
            Assert.Single(admitted);
            order.AddRange(admitted);
            waiting.RemoveAll(admitted.Contains);
        }
        Assert.Equal(keys, order);
    }

    [Fact]
    public async Task Enter_DrawStartsWhenThePlacesAreTaken_SaysNoPlaceIsFree()
    {
        var policy = Policy(maxActive: 3, rate: 100, fairStart: TimeSpan.FromSeconds(10));
        foreach (var key in new[] { "v:a", "v:b", "v:c" })
        {
            Assert.Equal(EnterOutcome.Admitted, (await Enter(key, policy)).Outcome);
        }

        var drawn = await Enter("v:d", policy);
        var again = await Enter("v:d", policy);

        Assert.Equal((EnterOutcome.Lobby, 0L), (drawn.Outcome, drawn.FreePlaces));
        Assert.Equal((EnterOutcome.Lobby, 0L), (again.Outcome, again.FreePlaces));
    }

    [Fact]
    public async Task Enter_InTheDraw_SaysHowManyAreDrawnAndThePlacesFree()
    {
        // the rate runs out before the places: the draw starts with places free
        var policy = Policy(maxActive: 10, rate: 1, fairStart: TimeSpan.FromSeconds(10));
        Assert.Equal(EnterOutcome.Admitted, (await Enter("v:in", policy)).Outcome);

        var first = await Enter("v:a", policy);
        var parent = await Enter("v:p", policy, lane: "Parent");
        var second = await Enter("v:b", policy);
        var firstAgain = await Enter("v:a", policy);

        Assert.Equal((EnterOutcome.Lobby, 9L, 1L), (first.Outcome, first.FreePlaces, first.Drawn));
        Assert.Equal((EnterOutcome.Lobby, 2L), (parent.Outcome, parent.Drawn)); // every lane's draw: they share the places
        Assert.Equal((EnterOutcome.Lobby, 3L), (second.Outcome, second.Drawn));
        Assert.Equal((EnterOutcome.Lobby, 3L), (firstAgain.Outcome, firstAgain.Drawn));
    }

    [Fact]
    public async Task Enter_ArrivalsDuringFairStart_AreShuffledBeforeNumbering()
    {
        var policy = Policy(rate: 1, fairStart: TimeSpan.FromSeconds(10));
        Assert.Equal(EnterOutcome.Admitted, (await Enter("v:early", policy)).Outcome);
        var random = new Random(20260316);
        var arrivals = Enumerable.Range(1, 20).Select(i => (Key: $"v:{i:D2}", Draw: random.NextDouble())).ToList();
        foreach (var (key, draw) in arrivals)
        {
            var lobby = await Enter(key, policy, draw: draw);
            Assert.Equal(EnterOutcome.Lobby, lobby.Outcome);
            _time.Advance(TimeSpan.FromMilliseconds(300));
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        var late = await Enter("v:late", policy, draw: 0);
        var positions = new Dictionary<string, long>();
        foreach (var (key, _) in arrivals)
        {
            positions[key] = (await Enter(key, policy)).Position;
        }

        var byPosition = positions.OrderBy(p => p.Value).Select(p => p.Key).ToList();
        var byDraw = arrivals.OrderBy(a => a.Draw).Select(a => a.Key).ToList();
        Assert.Equal(byDraw, byPosition);
        Assert.NotEqual(arrivals.Select(a => a.Key).ToList(), byPosition);
        Assert.Equal(positions.Values.Order().ToList(), positions.Values.Order().Distinct().ToList());
        Assert.Equal(EnterOutcome.Queued, late.Outcome);
        Assert.True(late.Position > positions.Values.Max(), "an arrival after the fair-start window queues behind the draw");
    }

    [Fact]
    public async Task Enter_VisitorStopsPolling_NoLongerCountsAndIsPassedOver()
    {
        var policy = Policy(maxActive: 1, rate: 50, stale: TimeSpan.FromSeconds(20));
        Assert.Equal(EnterOutcome.Admitted, (await Enter("v:in", policy)).Outcome);
        Assert.Equal(1, (await Enter("v:closed-the-page", policy)).Position);
        Assert.Equal(2, (await Enter("v:second", policy)).Position);
        Assert.Equal(3, (await Enter("v:third", policy)).Position);

        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(2, (await Enter("v:second", policy)).Position);
        Assert.Equal(3, (await Enter("v:third", policy)).Position);
        _time.Advance(TimeSpan.FromSeconds(10));
        var second = await Enter("v:second", policy);
        var third = await Enter("v:third", policy);
        var waiting = (await Store.SnapshotAsync(Now, policy)).WaitingTotal;

        await Store.ReleaseAsync("v:in", policy);
        _time.Advance(TimeSpan.FromSeconds(1));
        var next = await Enter("v:second", policy);

        Assert.Equal(1, second.Position);
        Assert.Equal(2, third.Position);
        Assert.Equal(2, waiting);
        Assert.Equal(EnterOutcome.Admitted, next.Outcome);
    }

    [Fact]
    public async Task Enter_CalledVisitorStopsPolling_CallPassesToNextBeforeGraceEnds()
    {
        var policy = Policy(maxActive: 1, rate: 50, grace: TimeSpan.FromSeconds(45), stale: TimeSpan.FromSeconds(20));
        await Enter("v:in", policy);
        await Enter("v:called", policy);
        await Enter("v:next", policy);
        _time.Advance(TimeSpan.FromSeconds(15));
        await Store.ReleaseAsync("v:in", policy);
        var whileCallHeld = await Enter("v:next", policy);

        _time.Advance(TimeSpan.FromSeconds(10));
        var afterTwoMissedRefreshes = await Enter("v:next", policy);

        Assert.Equal(EnterOutcome.Queued, whileCallHeld.Outcome);
        Assert.Equal(EnterOutcome.Admitted, afterTwoMissedRefreshes.Outcome);
    }

    [Fact]
    public async Task Enter_VisitorBackBeforeBeingPassedOver_KeepsTheirPlace()
    {
        var policy = Policy(maxActive: 1, rate: 50, stale: TimeSpan.FromSeconds(20));
        await Enter("v:in", policy);
        await Enter("v:asleep", policy);
        await Enter("v:awake", policy);
        _time.Advance(TimeSpan.FromSeconds(15));
        await Enter("v:awake", policy);
        _time.Advance(TimeSpan.FromSeconds(10));
        var awakeWhileOtherGone = await Enter("v:awake", policy);

        var back = await Enter("v:asleep", policy);
        var awakeAfter = await Enter("v:awake", policy);

        Assert.Equal(1, awakeWhileOtherGone.Position);
        Assert.Equal(1, back.Position);
        Assert.Equal(2, awakeAfter.Position);
    }

    [Fact]
    public async Task Enter_VisitorsKeepPolling_NeverForgotten()
    {
        var policy = Policy(maxActive: 1, rate: 50, stale: TimeSpan.FromSeconds(20));
        await Enter("v:in", policy);
        var keys = Enumerable.Range(1, 5).Select(i => $"v:{i}").ToList();
        await PollAll(keys, policy);
        for (var refresh = 0; refresh < 12; refresh++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await PollAll(keys, policy);
        }

        var positions = new List<long>();
        foreach (var key in keys)
        {
            positions.Add((await Enter(key, policy)).Position);
        }
        Assert.Equal([1, 2, 3, 4, 5], positions);
    }

    [Fact]
    public async Task Enter_ActiveLimitReached_NeverAdmitsMore()
    {
        var policy = Policy(maxActive: 3, rate: 50);
        var keys = Enumerable.Range(0, 10).Select(i => $"v:{i}").ToList();
        for (var round = 0; round < 5; round++)
        {
            await PollAll(keys, policy);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var snapshot = await Store.SnapshotAsync(Now, policy);
        Assert.Equal(3, snapshot.ActiveTotal);
        Assert.Equal(3, (await PollAll(keys, policy)).Count);
    }

    [Fact]
    public async Task Enter_TeacherArrivingAfterParents_IsServedBeforeThem()
    {
        var policy = Policy(maxActive: 4, rate: 1);
        await Enter("a:pupil0", policy);
        var parents = Enumerable.Range(0, 5).Select(i => $"a:parent{i}").ToList();
        await PollAll(parents, policy, _ => "Parent");
        var teacher = await Enter("a:teacher", policy, "Staff");
        Assert.Equal(EnterOutcome.Queued, teacher.Outcome);

        _time.Advance(TimeSpan.FromSeconds(1));
        var admitted = await PollAll([.. parents, "a:teacher"], policy, k => k.Contains("teacher", StringComparison.Ordinal) ? "Staff" : "Parent");

        Assert.Equal(["a:teacher"], admitted);
    }

    [Fact]
    public async Task Enter_PupilsAndParentsWaiting_ShareCapacityByReservedShares()
    {
        var policy = Policy(maxActive: 20, rate: 100);
        var earlier = Enumerable.Range(0, 20).Select(i => $"a:earlier{i}").ToList();
        Assert.Equal(20, (await PollAll(earlier, policy)).Count);
        var pupils = Enumerable.Range(0, 40).Select(i => $"a:pupil{i}").ToList();
        var parents = Enumerable.Range(0, 40).Select(i => $"a:parent{i}").ToList();
        string LaneOf(string key) => key.Contains("parent", StringComparison.Ordinal) ? "Parent" : "Pupil";
        var everyone = pupils.Zip(parents).SelectMany(p => new[] { p.First, p.Second }).ToList();
        Assert.Empty(await PollAll(everyone, policy, LaneOf));
        foreach (var key in earlier)
        {
            await Store.ReleaseAsync(key, policy);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var admitted = await PollAll(everyone, policy, LaneOf);

        var parentsIn = admitted.Count(k => LaneOf(k) == "Parent");
        Assert.Equal(20, admitted.Count);
        Assert.InRange(parentsIn, 3, 4); // 15% of 20 reserved, and little more while pupils have more waiting
        Assert.InRange(admitted.Count - parentsIn, 16, 17);
    }

    [Fact]
    public async Task Enter_OnlyPupilsWaiting_TakeTheUnusedShares()
    {
        var policy = Policy(maxActive: 10, rate: 100);
        var pupils = Enumerable.Range(0, 30).Select(i => $"a:pupil{i}").ToList();

        var admitted = await PollAll(pupils, policy);

        Assert.Equal(10, admitted.Count);
        Assert.Equal(10, (await Store.SnapshotAsync(Now, policy)).Lanes.Single(l => l.Lane == "Pupil").Active);
    }

    [Fact]
    public async Task Enter_LimitLoweredBelowActiveUsers_NobodyIsThrownOut()
    {
        var policy = Policy(maxActive: 3, rate: 10);
        await PollAll(["a:1", "a:2", "a:3"], policy);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await PollAll(["a:1", "a:2", "a:3"], policy)).Count);
        var lowered = Policy(maxActive: 1, rate: 10);

        for (var minute = 0; minute < 30; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(3, (await PollAll(["a:1", "a:2", "a:3"], lowered)).Count);
            await Store.TouchAsync("a:1", "Pupil", null, Now, lowered);
        }
        Assert.Equal(EnterOutcome.Queued, (await Enter("a:4", lowered)).Outcome);

        await Store.ReleaseAsync("a:1", lowered);
        await Store.ReleaseAsync("a:2", lowered);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(EnterOutcome.Queued, (await Enter("a:4", lowered)).Outcome);
        await Store.ReleaseAsync("a:3", lowered);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(EnterOutcome.Admitted, (await Enter("a:4", lowered)).Outcome);
    }

    [Fact]
    public async Task Enter_AdmittedUserIdleBeyondWindow_ReleasesThePlace()
    {
        var policy = Policy(maxActive: 1, rate: 10);
        Assert.Equal(EnterOutcome.Admitted, (await Enter("a:idle", policy)).Outcome);
        Assert.Equal(EnterOutcome.Queued, (await Enter("a:next", policy)).Outcome);

        _time.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(EnterOutcome.Queued, (await Enter("a:next", policy)).Outcome);
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(EnterOutcome.Admitted, (await Enter("a:next", policy)).Outcome);
        Assert.Equal(EnterOutcome.Queued, (await Enter("a:idle", policy)).Outcome);
    }

    [Fact]
    public async Task Release_Logout_FreesThePlaceAtOnce()
    {
        var policy = Policy(maxActive: 1, rate: 10);
        await Enter("a:leaving", policy);
        Assert.Equal(EnterOutcome.Queued, (await Enter("a:next", policy)).Outcome);

        await Store.ReleaseAsync("a:leaving", policy);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(EnterOutcome.Admitted, (await Enter("a:next", policy)).Outcome);
    }

    [Fact]
    public async Task Enter_SameAccountFromSecondDevice_KeepsOnePlace()
    {
        var policy = Policy(rate: 1);
        await Enter("a:someone", policy);
        await PollAll(["a:x1", "a:x2"], policy);
        var phone = await Enter("a:42", policy, alias: "v:phone");
        await Enter("a:after", policy);

        var laptop = await Enter("a:42", policy, alias: "v:laptop");

        Assert.Equal(EnterOutcome.Queued, laptop.Outcome);
        Assert.Equal(phone.Ticket, laptop.Ticket);
        Assert.Equal(3, laptop.Position);
        Assert.Equal(4, (await Store.SnapshotAsync(Now, policy)).WaitingTotal);
    }

    [Fact]
    public async Task Enter_VisitorSignsIn_PlaceIsBoundToTheAccount()
    {
        var policy = Policy(rate: 1);
        await Enter("a:someone", policy);
        await Enter("v:before", policy);
        var anonymous = await Enter("v:device", policy);
        await Enter("v:after", policy);

        var signedIn = await Enter("a:7", policy, "Pupil", alias: "v:device");
        var otherDevice = await Enter("a:7", policy, "Pupil", alias: "v:tablet");

        Assert.Equal(anonymous.Position, signedIn.Position);
        Assert.Equal(anonymous.Ticket, otherDevice.Ticket);
        Assert.Equal(3, (await Store.SnapshotAsync(Now, policy)).WaitingTotal);
    }

    [Fact]
    public async Task Touch_AdmittedVisitorSignsIn_AdmissionMovesToTheAccount()
    {
        var policy = Policy(maxActive: 1, rate: 10);
        Assert.Equal(EnterOutcome.Admitted, (await Enter("v:device", policy)).Outcome);

        await Store.TouchAsync("a:7", "Staff", "v:device", Now, policy);

        var snapshot = await Store.SnapshotAsync(Now, policy);
        Assert.Equal(1, snapshot.ActiveTotal);
        Assert.Equal(1, snapshot.Lanes.Single(l => l.Lane == "Staff").Active);
        Assert.Equal(EnterOutcome.Admitted, (await Enter("a:7", policy, "Staff")).Outcome);
    }

    [Fact]
    public async Task Enter_AdmittedVisitorSignsInOnSameDevice_StaysAdmittedUnderTheAccount()
    {
        var policy = Policy(maxActive: 1, rate: 10);
        Assert.Equal(EnterOutcome.Admitted, (await Enter("v:device", policy)).Outcome);

        var signedIn = await Enter("a:7", policy, "Pupil", alias: "v:device");
        var otherVisitor = await Enter("v:other", policy);

        Assert.Equal(EnterOutcome.Admitted, signedIn.Outcome);
        Assert.Equal(EnterOutcome.Queued, otherVisitor.Outcome);
        Assert.Equal(1, (await Store.SnapshotAsync(Now, policy)).ActiveTotal);
    }

    [Fact]
    public async Task Enter_CalledVisitorComesBackLate_AdmittedIfRoomRemains()
    {
        var policy = Policy(maxActive: 10, rate: 1, grace: TimeSpan.FromSeconds(30));
        await Enter("v:0", policy);
        Assert.Equal(EnterOutcome.Queued, (await Enter("v:slow", policy)).Outcome);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(EnterOutcome.Queued, (await Enter("v:other", policy)).Outcome);
        Assert.Equal(2, (await Store.SnapshotAsync(Now, policy)).ActiveTotal); // v:0 and the call for v:slow

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(EnterOutcome.Admitted, (await Enter("v:slow", policy)).Outcome);
    }

    [Fact]
    public async Task Acquire_OneAccountHammering_IsSlowedWhileOthersPass()
    {
        var results = new List<LimitDecision>();
        for (var i = 0; i < 12; i++)
        {
            results.Add(await Store.AcquireAsync("acc:a:hammer", 5, 10, Now));
        }
        var other = await Store.AcquireAsync("acc:a:calm", 5, 10, Now);

        Assert.Equal(10, results.Count(r => r.Allowed));
        Assert.InRange(results[10].RetryAfterMs, 1, 200);
        Assert.True(other.Allowed);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True((await Store.AcquireAsync("acc:a:hammer", 5, 10, Now)).Allowed);
    }

    [Fact]
    public async Task Acquire_RateAboveOneThousandPerSecond_IsNotRoundedDown()
    {
        // A region's ceiling may well exceed 1,000 requests per second from one address (a proxy).
        // Within one millisecond a 5,000/s limit with a burst of 20 lets 20 through, not 1 per ms.
        var allowed = 0;
        for (var i = 0; i < 40; i++)
        {
            if ((await Store.AcquireAsync("ip:203.0.113.9", 5000, 20, Now)).Allowed)
            {
                allowed++;
            }
        }
        _time.Advance(TimeSpan.FromMilliseconds(2));
        var afterTwoMs = 0;
        for (var i = 0; i < 40; i++)
        {
            if ((await Store.AcquireAsync("ip:203.0.113.9", 5000, 20, Now)).Allowed)
            {
                afterTwoMs++;
            }
        }

        Assert.Equal(20, allowed);
        Assert.Equal(10, afterTwoMs); // 2 ms at 5,000/s
    }

    [Fact]
    public async Task Acquire_SecondRuleRefuses_FirstRuleSpendsNoPermit()
    {
        LimitRule[] rules = [new("ip:198.51.100.7", 1, 2), new("acc:a:busy", 1, 1)];
        Assert.True((await Store.AcquireAsync(rules, Now)).Allowed);

        var refused = await Store.AcquireAsync(rules, Now);
        var ipAlone = await Store.AcquireAsync("ip:198.51.100.7", 1, 2, Now);

        Assert.False(refused.Allowed);
        Assert.Equal(1, refused.RefusedIndex);
        Assert.True(ipAlone.Allowed);
    }

    [Fact]
    public async Task Acquire_FiveHundredPupilsBehindOneSchoolAddress_AllGetIn()
    {
        var allowed = 0;
        for (var pupil = 0; pupil < 500; pupil++)
        {
            var ip = await Store.AcquireAsync("ip:192.0.2.10", 500, 3000, Now);
            var account = await Store.AcquireAsync($"acc:a:pupil{pupil}", 20, 100, Now);
            allowed += ip.Allowed && account.Allowed ? 1 : 0;
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(500, allowed);
    }

    [Fact]
    public async Task AdjustRate_SlowAndCalmIntervals_DecreasesFastIncreasesSlowly()
    {
        var policy = new AdmissionPolicy(DefaultLanes, 100, 40, 1, 100, 1_200_000, 45_000, 0);
        const long interval = 5000;

        var cut = await Store.AdjustRateAsync(RateSignal.Decrease, Now, interval, 2, 0.5, policy);
        var secondCutSameInterval = await Store.AdjustRateAsync(RateSignal.Decrease, Now, interval, 2, 0.5, policy);
        _time.Advance(TimeSpan.FromSeconds(5));
        var up = await Store.AdjustRateAsync(RateSignal.Increase, Now, interval, 2, 0.5, policy);
        var upAgainTooSoon = await Store.AdjustRateAsync(RateSignal.Increase, Now, interval, 2, 0.5, policy);

        Assert.Equal(20, cut.Rate, 3);
        Assert.Equal(20, secondCutSameInterval.Rate, 3);
        Assert.Equal(cut.CapacityEpoch, secondCutSameInterval.CapacityEpoch);
        Assert.Equal(22, up.Rate, 3);
        Assert.Equal(22, upAgainTooSoon.Rate, 3);
        Assert.Equal(cut.CapacityEpoch, up.CapacityEpoch);
        Assert.Equal(22, (await Store.SnapshotAsync(Now, policy)).Rate, 3);
    }

    /// <summary>Ten places, sixty people at once: places, not the admission rate, are the limit.</summary>
    private (AdmissionPolicy Policy, GateMonitor Monitor, List<string> Waiting) TenPlacesSixtyPeople()
    {
        var limits = TestOptions.PromiseLimits(maxActive: 10, initialRate: 50, maxRate: 50);
        return (limits.Policy, new GateMonitor(Store, limits, _time), [.. Enumerable.Range(0, 60).Select(i => $"v:{i}")]);
    }

    /// <summary>Holders whose stay ended sign out; the others keep working, and their ticket is touched once a minute, as the gate does.</summary>
    private async Task SignOutEndedStaysAsync(Dictionary<string, long> leavesAt, AdmissionPolicy policy, Func<string, string>? laneOf = null)
    {
        foreach (var leaving in leavesAt.Where(kv => kv.Value <= Now).Select(kv => kv.Key).ToList())
        {
            await Store.ReleaseAsync(leaving, policy, Now);
            leavesAt.Remove(leaving);
        }
        if (Now / 1000 % 60 == 0)
        {
            foreach (var working in leavesAt.Keys)
            {
                await Store.TouchAsync(working, laneOf?.Invoke(working) ?? "Pupil", null, Now, policy);
            }
        }
    }

    [Fact]
    public async Task Estimate_EveryPlaceTakenStaysOneToThreeMinutes_EstimatingUntilStaysMeasuredThenPromiseMatchesRealWaitWithin25Percent()
    {
        // ten places, sixty people at once, each admitted person stays 60 to 180 s (mean 120 s): places, not the
        // admission rate, are the limit, and one place frees about every 12 s once the first people leave
        var (policy, monitor, waiting) = TenPlacesSixtyPeople();
        var leavesAt = new Dictionary<string, long>();
        var admittedCount = 0;
        (int Low, int High)? early = null;
        (int Low, int High)? promised = null;
        var since = 0L;
        double? real = null;
        for (var second = 0; second <= 1200 && real is null; second += 2)
        {
            await SignOutEndedStaysAsync(leavesAt, policy);
            if (second == 300)
            {
                waiting.Add("v:probe");
            }
            foreach (var key in await PollAll(waiting, policy))
            {
                waiting.Remove(key);
                var stay = 60 + (120 * ((admittedCount++ * 7) % 13) / 12);
                leavesAt[key] = Now + (stay * 1000L);
                if (key == "v:probe")
                {
                    real = (Now - since) / 1000.0;
                }
            }
            var snapshot = await monitor.RefreshAsync();
            if (second == 30)
            {
                early = EtaEstimator.Range(monitor.Estimate("Pupil", 20, snapshot));
            }
            if (second == 300)
            {
                var probe = await Enter("v:probe", policy);
                promised = EtaEstimator.Range(monitor.Estimate("Pupil", probe.Position, snapshot));
                since = Now;
            }
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.True(EtaEstimator.IsEstimating(early!.Value.Low, early.Value.High), $"before anyone left: {early}");
        Assert.NotNull(real);
        Assert.True(real > 60, $"the probe waited only {real} s: places were not the limit");
        Assert.False(EtaEstimator.IsEstimating(promised!.Value.Low, promised.Value.High));
        Assert.True(PromiseLedger.Holds(promised.Value.Low, promised.Value.High, real!.Value),
            string.Create(CultureInfo.InvariantCulture, $"promised {promised.Value.Low}–{promised.Value.High} s, waited {real} s"));
    }

    [Fact]
    public async Task Snapshot_PlacesHeld_CountsTimeHeldSoFarUntilEachStayEnds()
    {
        var policy = Policy(maxActive: 10, rate: 10);
        await Enter("v:a", policy);
        _time.Advance(TimeSpan.FromSeconds(10));
        await Enter("v:b", policy);
        await Enter("v:device", policy);
        _time.Advance(TimeSpan.FromSeconds(20));
        await Enter("a:7", policy, alias: "v:device"); // first page signed in: the place moves, its stay counts from now
        await Store.TouchAsync("a:8", "Pupil", null, Now, policy);

        var held = await Store.SnapshotAsync(Now, policy);
        await Store.ReleaseAsync("v:a", policy, Now);
        _time.Advance(TimeSpan.FromSeconds(5));
        var afterSignOut = await Store.SnapshotAsync(Now, policy);

        Assert.Equal((4L, 30_000L + 20_000 + 0 + 0), (held.Held, held.HeldMs));
        Assert.Equal((3L, 25_000L + 5_000 + 5_000), (afterSignOut.Held, afterSignOut.HeldMs));
        Assert.Equal((1L, 30_000L), (afterSignOut.Stays, afterSignOut.StayMs));
    }

    [Fact]
    public async Task Snapshot_VisitorLetInBeforeSigningIn_StayCountsFromTheFirstPageSignedIn()
    {
        // Let in at the home page, then 40 s on the home page and the password: those 40 s are the sign-in's, not the stay's.
        // A second device joins the account's stay, which goes on.
        var policy = Policy(maxActive: 10, rate: 10);
        var start = Now;
        await Enter("v:phone", policy);
        await Enter("v:tablet", policy);
        _time.Advance(TimeSpan.FromSeconds(40));
        await Enter("a:7", policy, alias: "v:phone"); // first page signed in, through the queue's door
        await Store.TouchAsync("a:8", "Pupil", "v:tablet", Now, policy); // first page signed in, already let in
        _time.Advance(TimeSpan.FromSeconds(20));
        await Enter("v:laptop", policy);
        await Enter("a:7", policy, alias: "v:laptop");
        _time.Advance(TimeSpan.FromSeconds(40));

        var held = await Store.SnapshotAsync(Now, policy);
        await Store.ReleaseAsync("a:7", policy, Now);
        await Store.ReleaseAsync("a:8", policy, Now);
        var ended = await Store.SnapshotAsync(Now, policy);

        Assert.Equal(
            [new HolderSample(start + 40_000, Now + policy.IdleMs - 60_000, "Pupil"), new HolderSample(start + 40_000, Now + policy.IdleMs - 40_000, "Pupil")],
            held.Holders!.OrderBy(h => h.ExpiresMs).ToList());
        Assert.Equal((2L, 120_000L), (held.Held, held.HeldMs));
        Assert.Equal(
            [new EndedStay(Now, 60_000, Idle: false, "Pupil"), new EndedStay(Now, 60_000, Idle: false, "Pupil")],
            ended.Ended!);
    }

    [Fact]
    public async Task Snapshot_PlacesExpireIdle_TimeHeldBecomesStays()
    {
        var policy = Policy(maxActive: 10, rate: 10) with { IdleMs = 60_000 };
        await Enter("v:a", policy);
        await Enter("v:b", policy);
        _time.Advance(TimeSpan.FromSeconds(90));

        var snapshot = await Store.SnapshotAsync(Now, policy);

        Assert.Equal((0L, 0L), (snapshot.Held, snapshot.HeldMs));
        Assert.Equal((2L, 120_000L), (snapshot.Stays, snapshot.StayMs));
    }

    [Fact]
    public async Task Snapshot_StaysEndedBySignOutAndByIdleTimeout_KeptNewestFirstWithHowTheyEndedAndTheirLane()
    {
        var policy = Policy(maxActive: 10, rate: 10) with { IdleMs = 60_000 };
        var start = Now;
        await Enter("v:a", policy);
        await Enter("v:b", policy, lane: "Parent");
        _time.Advance(TimeSpan.FromSeconds(30));
        await Store.ReleaseAsync("v:a", policy, Now); // signs out after 30 s
        _time.Advance(TimeSpan.FromSeconds(40)); // v:b, never seen again, expired at 60 s

        var snapshot = await Store.SnapshotAsync(Now, policy);

        Assert.Equal(
            [new EndedStay(start + 60_000, 60_000, Idle: true, "Parent"), new EndedStay(start + 30_000, 30_000, Idle: false, "Pupil")],
            snapshot.Ended!);
        Assert.Empty(snapshot.Holders!);
        Assert.Equal(Now, snapshot.AtMs);
    }

    [Fact]
    public async Task Snapshot_OneAccountSignsInAndOutAgainAndAgain_KeepsItsLastStayOnlyAndEveryoneElses()
    {
        // an account that signs in and out in a loop must not fill the stays the promise is read from with its own
        var policy = Policy(maxActive: 10, rate: 1000) with { IdleMs = 600_000 };
        for (var i = 1; i <= 3; i++)
        {
            await Store.TouchAsync($"a:{i}", "Pupil", null, Now, policy);
        }
        _time.Advance(TimeSpan.FromSeconds(200));
        for (var i = 1; i <= 3; i++)
        {
            await Store.ReleaseAsync($"a:{i}", policy, Now); // three stays of 200 s
        }
        for (var round = 0; round < GateSnapshot.EndedKept + 10; round++)
        {
            await Store.TouchAsync("a:666", "Pupil", null, Now, policy);
            _time.Advance(TimeSpan.FromSeconds(1));
            await Store.ReleaseAsync("a:666", policy, Now);
        }

        var snapshot = await Store.SnapshotAsync(Now, policy);

        Assert.Equal(
            [new EndedStay(Now, 1_000, Idle: false, "Pupil"), .. Enumerable.Repeat(new EndedStay(Now - 522_000, 200_000, Idle: false, "Pupil"), 3)],
            snapshot.Ended!);
    }

    [Fact]
    public async Task Snapshot_MoreHoldersThanTheSample_ASampleOfThemWithAdmissionExpiryAndLane()
    {
        var policy = Policy(maxActive: 1000, rate: 1000) with { IdleMs = 600_000 };
        var start = Now;
        for (var i = 0; i < 300; i++)
        {
            await Store.TouchAsync($"a:{i}", i % 3 == 0 ? "Parent" : "Pupil", null, Now, policy);
        }
        _time.Advance(TimeSpan.FromSeconds(90));
        await Store.TouchAsync("a:0", "Pupil", null, Now, policy); // seen again: expires later, still in since the start

        var snapshot = await Store.SnapshotAsync(Now, policy);

        Assert.Equal(300, snapshot.Held);
        Assert.Equal(GateSnapshot.HoldersSampled, snapshot.Holders!.Count);
        Assert.All(snapshot.Holders, h => Assert.Equal(start, h.AdmittedMs));
        Assert.All(snapshot.Holders, h => Assert.True(h.ExpiresMs == start + 600_000 || h.ExpiresMs == Now + 600_000, $"{h.ExpiresMs}"));
        Assert.True(snapshot.Holders.Count(h => h.ExpiresMs == Now + 600_000) <= 1);
        Assert.Contains(snapshot.Holders, h => h.Lane == "Parent");
        Assert.All(snapshot.Holders, h => Assert.True(h.Lane is "Pupil" or "Parent", h.Lane));
    }

    /// <summary>
    /// People arrive at their second and poll every 2 s, each in the lane <paramref name="laneOf"/> gives (the pupils'
    /// by default); the n-th admitted stays <paramref name="stayOf"/>(n, key) seconds, touched once a minute, then signs
    /// out. The first number each person is shown is their promise, checked against the wait they really had: at
    /// least 90 % must hold, out of at least <paramref name="minPromises"/>.
    /// </summary>
    private async Task AssertFirstPromisesHoldAsync(GateMonitor monitor, AdmissionPolicy policy, IReadOnlyList<(string Key, int Second)> arrivals, Func<int, string, double> stayOf, int minPromises,
        Func<string, string>? laneOf = null)
    {
        laneOf ??= _ => "Pupil";
        var waiting = new List<string>();
        var leavesAt = new Dictionary<string, long>();
        var firstShown = new Dictionary<string, (long At, int Low, int High)>();
        var promises = new List<(int Low, int High, double Real)>();
        var (admitted, arrived) = (0, 0);
        for (var second = 0; second <= 3600 && (waiting.Count > 0 || arrived < arrivals.Count); second += 2)
        {
            await SignOutEndedStaysAsync(leavesAt, policy, laneOf);
            for (; arrived < arrivals.Count && arrivals[arrived].Second <= second; arrived++)
            {
                waiting.Add(arrivals[arrived].Key);
            }
            var positions = new Dictionary<string, long>();
            foreach (var key in waiting.ToList())
            {
                var result = await Enter(key, policy, laneOf(key));
                if (result.Outcome != EnterOutcome.Admitted)
                {
                    positions[key] = result.Position;
                    continue;
                }
                waiting.Remove(key);
                leavesAt[key] = Now + (long)(stayOf(admitted++, key) * 1000);
                if (firstShown.TryGetValue(key, out var shown))
                {
                    promises.Add((shown.Low, shown.High, (Now - shown.At) / 1000.0));
                }
            }
            var snapshot = await monitor.RefreshAsync();
            foreach (var (key, position) in positions.Where(p => !firstShown.ContainsKey(p.Key)))
            {
                var range = EtaEstimator.Range(monitor.Estimate(laneOf(key), position, snapshot));
                if (!EtaEstimator.IsEstimating(range.Low, range.High))
                {
                    firstShown[key] = (Now, range.Low, range.High); // the first number shown is the promise
                }
            }
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Empty(waiting);
        Assert.Equal(arrivals.Count, admitted);
        Assert.True(promises.Count >= minPromises, $"only {promises.Count} people were promised a wait");
        var held = promises.Count(p => PromiseLedger.Holds(p.Low, p.High, p.Real));
        var report = string.Join(", ", promises.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Low}–{p.High}/{p.Real}")));
        Assert.True(held >= 0.9 * promises.Count, $"{held} of {promises.Count} promises held (promised/waited, s): {report}");
    }

    [Fact]
    public async Task Estimate_EveryPlaceTakenFromTheStartStaysTwoToFiveMinutes_FirstPromisesMatchRealWaitsWithin25Percent()
    {
        // the start of a closure morning: ten places taken at once and fifty people behind them, each staying
        // 2 to 5 minutes; the first stays to end are the short ones, the holders still in have been in for longer
        var (policy, monitor, waiting) = TenPlacesSixtyPeople();

        await AssertFirstPromisesHoldAsync(monitor, policy, [.. waiting.Select(k => (k, 0))], (n, _) => 120 + (180 * ((n * 7) % 13) / 12), minPromises: 40);
    }

    [Fact]
    public async Task Estimate_SixtyPlacesTakenWithinAMinuteStaysOfSevenPauses_FirstPromisesMatchRealWaitsWithin25Percent()
    {
        // the places-limited morning, scaled: 60 places, 160 people arriving within a minute, each working
        // through seven pauses of 15–45 s (a stay of about 3.5 minutes, give or take 25 s) and signing out. Every
        // first promise rests on few stays ended against many holders still in: a mean stay that weighs the time
        // held so far (the estimate before the departure schedule) held 0 of 95 promises here, 5–20 times too long.
        var limits = TestOptions.PromiseLimits(maxActive: 60, initialRate: 50, maxRate: 50);
        var random = new Random(11);
        var stays = Enumerable.Range(0, 160).Select(_ => 2 + Enumerable.Range(0, 7).Sum(_ => 15 + (30 * random.NextDouble()))).ToList();

        await AssertFirstPromisesHoldAsync(new GateMonitor(Store, limits, _time), limits.Policy,
            [.. Enumerable.Range(0, 160).Select(i => ($"v:{i}", i * 60 / 160))], (n, _) => stays[n], minPromises: 60);
    }

    [Fact]
    public async Task Estimate_PupilsAndParentsStayDifferently_FirstPromisesMatchRealWaitsWithin25Percent()
    {
        // the places bench of the issue (BENCHMARKS.md §28): 150 places, 400 people within a minute, two in three
        // pupils, who work through six pauses of 15–45 s, one in three parents, through five; both lanes are served at
        // the same priority, the store calling the lane under its share of the places first. One curve for everybody
        // is a mixture: the parents' shorter stays end first, and told the pupils' wait by the parents'.
        var limits = TestOptions.PromiseLimits(maxActive: 150, initialRate: 50, maxRate: 50);
        var random = new Random(5);
        string LaneOf(string key) => int.Parse(key[2..], CultureInfo.InvariantCulture) % 3 == 2 ? "Parent" : "Pupil";
        var stays = Enumerable.Range(0, 400).ToDictionary(i => $"v:{i}", i => 2 + Enumerable.Range(0, LaneOf($"v:{i}") == "Pupil" ? 6 : 5).Sum(_ => 15 + (30 * random.NextDouble())));

        await AssertFirstPromisesHoldAsync(new GateMonitor(Store, limits, _time), limits.Policy,
            [.. Enumerable.Range(0, 400).Select(i => ($"v:{i}", i * 60 / 400))], (_, key) => stays[key], minPromises: 100, LaneOf);
    }

    [Fact]
    public async Task ThrottleFail_AfterThreshold_WaitsGrowByDoublingUpToTheMaximum()
    {
        var rule = new ThrottleRule(3, 1000, 5000);
        var waits = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var wait = await Store.ThrottleFailAsync("signin:k", rule, Now);
            waits.Add(wait);
            Assert.Equal(wait, await Store.ThrottleWaitAsync("signin:k", Now));
            _time.Advance(TimeSpan.FromMilliseconds(wait));
            Assert.Equal(0, await Store.ThrottleWaitAsync("signin:k", Now));
        }

        Assert.Equal([0, 0, 1000, 2000, 4000, 5000], waits);
    }

    [Fact]
    public async Task ThrottleWait_OtherKeyOrAfterClear_IsFree()
    {
        var rule = new ThrottleRule(1, 60_000, 600_000);
        Assert.Equal(60_000, await Store.ThrottleFailAsync("signin:a", rule, Now));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(50_000, await Store.ThrottleWaitAsync("signin:a", Now));
        Assert.Equal(0, await Store.ThrottleWaitAsync("signin:b", Now));
        await Store.ThrottleClearAsync("signin:a");
        Assert.Equal(0, await Store.ThrottleWaitAsync("signin:a", Now));
        Assert.Equal(60_000, await Store.ThrottleFailAsync("signin:a", rule, Now));
    }

    [Fact]
    public async Task ThrottleFail_QuietForTheMaximumAfterTheWait_StartsAfresh()
    {
        var rule = new ThrottleRule(2, 1000, 10_000);
        await Store.ThrottleFailAsync("signin:q", rule, Now);
        Assert.Equal(1000, await Store.ThrottleFailAsync("signin:q", rule, Now));
        _time.Advance(TimeSpan.FromMilliseconds(1000 + 10_000 + 1));

        Assert.Equal(0, await Store.ThrottleFailAsync("signin:q", rule, Now));
    }
}

public sealed class InMemoryGateStoreTests : GateStoreBehaviourTests
{
    private protected override IGateStore Store { get; } = new InMemoryGateStore();
}

public sealed class RedisGateStoreTests : GateStoreBehaviourTests
{
    private protected override IGateStore Store { get; } = new RedisGateStore(TestRedis.Connection, TestRedis.NewPrefix());

    [Fact]
    public async Task Snapshot_AdmissionTimesKeptBeforeTheirSumWas_CountsThemOnce()
    {
        var prefix = TestRedis.NewPrefix();
        var store = new RedisGateStore(TestRedis.Connection, prefix);
        var policy = new AdmissionPolicy([new LaneRule("Pupil", 1, 1)], 10, 10, 10, 10, 1_200_000, 45_000, 0);
        var start = 1_773_650_000_000L;
        await store.TouchAsync("a:1", "Pupil", null, start, policy);
        await store.TouchAsync("a:2", "Pupil", null, start + 10_000, policy);
        await TestRedis.Connection.GetDatabase().HashDeleteAsync("{" + prefix + "}:stay", ["hn", "hsum"]); // a gate upgraded in place

        var first = await store.SnapshotAsync(start + 30_000, policy);
        await store.ReleaseAsync("a:1", policy, start + 30_000);
        var second = await store.SnapshotAsync(start + 30_000, policy);

        Assert.Equal((2L, 50_000L), (first.Held, first.HeldMs));
        Assert.Equal((1L, 20_000L), (second.Held, second.HeldMs));
    }
}
