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
    private static EndedStay SignedOut(double seconds, double agoSeconds = 10) => new(Now - (long)(agoSeconds * 1000), (long)(seconds * 1000), Idle: false);

    /// <summary>A holder in for <paramref name="seconds"/>, last seen <paramref name="seenAgoSeconds"/> ago.</summary>
    private static HolderSample In(double seconds, double seenAgoSeconds = 10) =>
        new(Now - (long)(seconds * 1000), Now - (long)(seenAgoSeconds * 1000) + IdleMs);

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
}
