using Preau.Gate.Admission;
using Preau.Gate.Store;

namespace Preau.Gate.Tests.Admission;

public sealed class DepartureScheduleTests
{
    private const long Now = 1_800_000_000_000;
    private const long IdleMs = 20 * 60_000;
    private const long UnseenMs = 120_000;
    private const long WindowMs = 5 * 60_000;

    private static GateSnapshot Snapshot(IEnumerable<EndedStay> ended, IEnumerable<HolderSample> holders, long? held = null)
    {
        var sample = holders.ToList();
        return new GateSnapshot([], 10, 0, Held: held ?? sample.Count, Ended: [.. ended], Holders: sample, AtMs: Now);
    }

    /// <summary>A stay of <paramref name="seconds"/> that ended <paramref name="agoSeconds"/> ago by a sign-out.</summary>
    private static EndedStay SignedOut(double seconds, double agoSeconds = 10, string? lane = null) =>
        new(Now - (long)(agoSeconds * 1000), (long)(seconds * 1000), Idle: false, lane);

    /// <summary>A holder in for <paramref name="seconds"/>, last seen <paramref name="seenAgoSeconds"/> ago.</summary>
    private static HolderSample In(double seconds, double seenAgoSeconds = 10, string? lane = null) =>
        new(Now - (long)(seconds * 1000), Now - (long)(seenAgoSeconds * 1000) + IdleMs, lane);

    /// <summary>
    /// Parents' stays end evenly between 60 and 80 s (40 of them), pupils' between 150 and 210 s (48 of them); 32
    /// pupils have been in for 210 s, and <paramref name="lanes"/> says whether the store told each one's lane.
    /// </summary>
    private static GateSnapshot ParentsShortPupilsLong(bool lanes = true)
    {
        var ended = Enumerable.Range(0, 40).Select(i => SignedOut(60 + (i * 20 / 39.0), lane: lanes ? "Parent" : null))
            .Concat(Enumerable.Range(0, 48).Select(i => SignedOut(150 + (i * 60 / 47.0), lane: lanes ? "Pupil" : null)));
        return Snapshot(ended, Enumerable.Range(0, 32).Select(_ => In(210, lane: lanes ? "Pupil" : null)));
    }

    private static DepartureSchedule? Build(GateSnapshot snapshot) => DepartureSchedule.Build(snapshot, WindowMs, IdleMs, UnseenMs, EtaEstimator.MaxSeconds);

    [Fact]
    public void Build_FourSignOuts_NoNumberYet()
    {
        var snapshot = Snapshot([SignedOut(60), SignedOut(70), SignedOut(80), SignedOut(90)], [In(100)]);

        Assert.Null(Build(snapshot));
    }

    [Fact]
    public void Build_FewerThanHalfTheStaysSeenToEnd_NoNumberYet()
    {
        // five people left after a minute, forty are still in after a minute and a half: how long they stay is unknown
        var snapshot = Snapshot(Enumerable.Range(0, 5).Select(i => SignedOut(60 + i)), Enumerable.Range(0, 40).Select(_ => In(90)));

        Assert.Null(Build(snapshot));
    }

    [Fact]
    public void SecondsUntil_HoldersGoneWithoutSigningOut_TheirPlacesFreeAtTheIdleExpiry()
    {
        // stays of about a minute measured; two holders closed the page 15 and 5 minutes ago: their places free
        // when the idle timeout runs out (in 5 and 15 minutes), not after a minute's stay. The person let in at
        // 5 minutes stays about a minute and frees the place again long before the second expiry (a tenth of people
        // measured leave without signing out: the second departure is counted whole a stay later).
        var ended = Enumerable.Range(0, 20).Select(i => SignedOut(50 + i));
        var schedule = Build(Snapshot(ended, [In(1000, seenAgoSeconds: 300), In(1000, seenAgoSeconds: 900)]));

        Assert.NotNull(schedule);
        Assert.Equal(300, schedule.SecondsUntil(1), 3);
        Assert.InRange(schedule.SecondsUntil(2), 350, 430);
    }

    [Fact]
    public void SecondsUntil_HoldersInSinceTheSameTime_LeaveOneAfterTheOtherAsTheStaysEnded()
    {
        // stays end evenly between 100 and 200 s; ten holders have been in for 150 s: they leave over the next
        // fifty seconds or so, one after the other, not all at the mean of what remains
        var ended = Enumerable.Range(0, 40).Select(i => SignedOut(100 + (i * 100 / 39.0)));
        var schedule = Build(Snapshot(ended, Enumerable.Range(0, 10).Select(_ => In(150))));

        Assert.NotNull(schedule);
        var (first, fifth, tenth) = (schedule.SecondsUntil(1), schedule.SecondsUntil(5), schedule.SecondsUntil(10));
        Assert.True(first < fifth && fifth < tenth, $"{first}, {fifth}, {tenth}");
        Assert.InRange(first, 1, 10);
        Assert.InRange(fifth, 15, 35);
        Assert.InRange(tenth, 40, 75);
    }

    [Fact]
    public void SecondsUntil_HoldersInLongerThanEveryStay_TheirPlacesFreeAtTheirExpiry()
    {
        // stays end evenly between 100 and 200 s; ten holders have been in for 150 s, five for 400 s and were last seen
        // 100 s ago (not yet counted gone): nobody ever stayed that long, so they most likely closed the page. The ten
        // leave over the next minute or so; the five free their places when the idle timeout runs out, not at once.
        var ended = Enumerable.Range(0, 40).Select(i => SignedOut(100 + (i * 100 / 39.0)));
        var holders = Enumerable.Range(0, 10).Select(_ => In(150)).Concat(Enumerable.Range(0, 5).Select(_ => In(400, seenAgoSeconds: 100)));
        var schedule = Build(Snapshot(ended, holders));

        Assert.NotNull(schedule);
        Assert.InRange(schedule.SecondsUntil(1), 2, 10);
        Assert.InRange(schedule.SecondsUntil(10), 40, 100);
        Assert.True(schedule.SecondsUntil(10 + 10) < (IdleMs / 1000) - 100, "the people let in meanwhile leave a stay later");
    }

    [Fact]
    public void SecondsUntil_SomeLeaveWithoutSigningOut_PeopleLetInMeanwhileFreeFewerPlacesInTurn()
    {
        // stays of 100 s; 10 holders just in; one in four of the people measured left without signing out
        var ended = Enumerable.Range(0, 30).Select(i => SignedOut(100, agoSeconds: i))
            .Concat(Enumerable.Range(0, 10).Select(i => new EndedStay(Now - (i * 1000), IdleMs, Idle: true)));
        var schedule = Build(Snapshot(ended, Enumerable.Range(0, 10).Select(_ => In(0))));

        Assert.NotNull(schedule);
        Assert.Equal(0.25, schedule.WalkAwayShare, 3);
        Assert.InRange(schedule.SecondsUntil(10), 99, 101); // the holders of now
        Assert.InRange(schedule.SecondsUntil(17.5), 199, 201); // the 10 let in after them, 7.5 of whom sign out
        Assert.True(double.IsPositiveInfinity(DepartureSchedule.Build(Snapshot(ended, Enumerable.Range(0, 10).Select(_ => In(0))), WindowMs, IdleMs, UnseenMs, 150)!.SecondsUntil(11)),
            "beyond the horizon the wait is not computed");
    }

    [Fact]
    public void SecondsUntil_ASampleOfARegionsHolders_EachWeighsForItsShare()
    {
        // 256 holders sampled out of 25,600: every sampled holder's departure counts for a hundred
        var ended = Enumerable.Range(0, 20).Select(i => SignedOut(100));
        var sample = Enumerable.Range(0, 256).Select(_ => In(0)).ToList();
        var schedule = Build(Snapshot(ended, sample, held: 25_600));

        Assert.NotNull(schedule);
        Assert.InRange(schedule.SecondsUntil(25_600), 99, 101);
        Assert.InRange(schedule.SecondsUntil(1), 0, 101);
    }

    [Fact]
    public void SecondsUntil_PupilsStayLongerThanParents_PupilsStillInLeaveAsPupilsDo()
    {
        // the pupils' stays seen so far run from 150 to 210 s and the 32 pupils still in have been in for 210 s: by the
        // pupils' own curve, mirrored around their median (200 s), they leave within the next 40 s. One curve for
        // everybody mirrors the parents' short stays instead, and sends them away 60 to 80 s from now.
        var byLane = Build(ParentsShortPupilsLong());
        var pooled = Build(ParentsShortPupilsLong(lanes: false));

        Assert.NotNull(byLane);
        Assert.NotNull(pooled);
        Assert.InRange(byLane.SecondsUntil(16), 10, 30);
        Assert.InRange(byLane.SecondsUntil(32), 30, 45);
        Assert.True(pooled.SecondsUntil(16) > 60, $"{pooled.SecondsUntil(16)}");
    }

    [Fact]
    public void SecondsUntil_ParentsLetInNext_FreeTheirPlaceAParentsStayLater()
    {
        // the same 32 pupils leave within 40 s; the people let in after them stay as long as people of their lane do:
        // 40 parents waiting leave about 70 s after they come in, 40 pupils waiting about three minutes after
        var snapshot = ParentsShortPupilsLong();
        var calling = new DepartureSchedule.Calling([new LaneRule("Pupil", 0.5, 1), new LaneRule("Parent", 0.5, 1)], MaxActive: 32);
        DepartureSchedule? With(string lane) => DepartureSchedule.Build(
            snapshot with { Lanes = [new LaneSnapshot("Pupil", lane == "Pupil" ? 40 : 0, 0, 32, 0), new LaneSnapshot("Parent", lane == "Parent" ? 40 : 0, 0, 0, 0)] },
            WindowMs, IdleMs, UnseenMs, EtaEstimator.MaxSeconds, calling: calling);
        var parentsNext = With("Parent");
        var pupilsNext = With("Pupil");

        Assert.NotNull(parentsNext);
        Assert.NotNull(pupilsNext);
        Assert.InRange(parentsNext.SecondsUntil("Parent", 30), 25, 45); // let in as the pupils leave
        // let in as the eighth of the first parents leaves: they came in from the first seconds and stay 60–80 s
        Assert.InRange(parentsNext.SecondsUntil("Parent", 40), 70, 120);
        Assert.InRange(pupilsNext.SecondsUntil("Pupil", 40), 190, 260);
    }

    [Fact]
    public void SecondsUntil_OtherLanesHaveNobodyWaiting_TheirNewcomersTakeNoPlace()
    {
        // five places free, five pupils waiting, parents and staff waiting nobody: the five pupils are all called now
        var ended = Enumerable.Range(0, 20).Select(_ => SignedOut(100, lane: "Pupil"));
        var snapshot = Snapshot(ended, []) with
        {
            Lanes = [new LaneSnapshot("Staff", 0, 0, 0, 0), new LaneSnapshot("Pupil", 5, 0, 0, 0), new LaneSnapshot("Parent", 0, 0, 0, 0)],
        };
        var schedule = DepartureSchedule.Build(snapshot, WindowMs, IdleMs, UnseenMs, EtaEstimator.MaxSeconds,
            calling: new DepartureSchedule.Calling([new LaneRule("Staff", 0, 0), new LaneRule("Pupil", 0.5, 1), new LaneRule("Parent", 0.5, 1)], MaxActive: 5));

        Assert.NotNull(schedule);
        Assert.Equal(0, schedule.SecondsUntil("Pupil", 5)); // took a whole stay when the other lanes' slivers took 0.02 of a place
        Assert.Equal(100, schedule.SecondsUntil("Pupil", 6), 6); // whoever comes in now: when the first of them leaves
        Assert.Equal(0, schedule.SecondsUntil("Parent", 1));
    }

    [Fact]
    public void SecondsUntil_PupilsUnderTheirShare_CalledBeforeParentsAsTheStoreDoes()
    {
        // 10 places, 7 for pupils and 3 for parents by share; parents hold 6 of them, pupils 4 (under their share):
        // the store calls pupils until the parents fall under their own share, so the first three places freed all go
        // to pupils, and the first parent waits past them. A split of the places freed by the lanes' shares
        // (7 to 3) would have called that parent at the second place freed.
        var ended = Enumerable.Range(0, 80).Select(i => SignedOut(90 + (i / 2), lane: i % 2 == 0 ? "Pupil" : "Parent"));
        var holders = Enumerable.Range(0, 10).Select(i => In(i * 10, lane: i < 4 ? "Pupil" : "Parent"));
        var snapshot = Snapshot(ended, holders) with
        {
            Lanes = [new LaneSnapshot("Pupil", 5, 0, 4, 0), new LaneSnapshot("Parent", 5, 0, 6, 0)],
        };
        var schedule = DepartureSchedule.Build(snapshot, WindowMs, IdleMs, UnseenMs, EtaEstimator.MaxSeconds,
            calling: new DepartureSchedule.Calling([new LaneRule("Pupil", 0.7, 1), new LaneRule("Parent", 0.3, 1)], MaxActive: 10));

        Assert.NotNull(schedule);
        Assert.Equal(schedule.SecondsUntil(3), schedule.SecondsUntil("Pupil", 3), 6);
        Assert.True(schedule.SecondsUntil("Parent", 1) > schedule.SecondsUntil(3), $"{schedule.SecondsUntil("Parent", 1)} against {schedule.SecondsUntil(3)}");
        // whoever comes in now, behind the five parents waiting
        Assert.True(schedule.SecondsUntil("Parent", 6) >= schedule.SecondsUntil("Parent", 5));
        Assert.False(double.IsInfinity(schedule.SecondsUntil("Parent", 6)));
    }

    [Fact]
    public void Build_ALaneHoldingMostPlacesNotYetSeenToEnd_NoNumberYet()
    {
        // 40 pupils' stays ended between 150 and 190 s, 60 pupils are still in after 190 s: fewer than 60 % of the
        // pupils' stays are seen to end, although with the parents' stays counted in, 60 % of all stays are
        var ended = Enumerable.Range(0, 80).Select(i => SignedOut(60 + (i * 20 / 79.0), lane: "Parent"))
            .Concat(Enumerable.Range(0, 40).Select(i => SignedOut(150 + i, lane: "Pupil")));
        var pupils = Enumerable.Range(0, 60).Select(_ => In(190, lane: "Pupil")).ToList();

        Assert.NotNull(Build(Snapshot([.. ended.Select(e => e with { Lane = null })], [.. pupils.Select(h => h with { Lane = null })])));
        Assert.Null(Build(Snapshot(ended, pupils)));
        // the same lane holding few of the places does not hold back everybody's number: it follows the common curve
        var parents = Enumerable.Range(0, 200).Select(_ => In(10, lane: "Parent"));
        Assert.NotNull(Build(Snapshot(ended, [.. pupils.Take(10), .. parents])));
    }
}
