using Preau.Surge.Cli;
using Preau.Surge.Schedule;

namespace Preau.Surge.Tests;

public sealed class ArrivalScheduleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void Create_SameSeed_SameSchedule()
    {
        var a = ArrivalSchedule.Create(5000, Window, ArrivalProfile.Spike, 7, 5000);
        var b = ArrivalSchedule.Create(5000, Window, ArrivalProfile.Spike, 7, 5000);

        Assert.Equal(a, b);
    }

    [Fact]
    public void Create_DifferentSeed_DifferentSchedule()
    {
        var a = ArrivalSchedule.Create(1000, Window, ArrivalProfile.Spike, 1, 1000);
        var b = ArrivalSchedule.Create(1000, Window, ArrivalProfile.Spike, 2, 1000);

        Assert.NotEqual(a.Select(x => x.At), b.Select(x => x.At));
    }

    [Theory]
    [InlineData("Spike")]
    [InlineData("Steady")]
    public void Create_AnyProfile_EveryoneArrivesInsideTheWindowInOrder(string profile)
    {
        var schedule = ArrivalSchedule.Create(20_000, Window, Enum.Parse<ArrivalProfile>(profile), 42, 20_000);

        Assert.Equal(20_000, schedule.Count);
        Assert.All(schedule, a => Assert.InRange(a.At, TimeSpan.Zero, Window));
        Assert.True(schedule.Zip(schedule.Skip(1)).All(p => p.First.At <= p.Second.At));
        Assert.Equal(20_000, schedule.Select(a => a.AccountIndex).Distinct().Count());
    }

    [Fact]
    public void Create_Spike_PeaksInTheMiddle()
    {
        var schedule = ArrivalSchedule.Create(20_000, Window, ArrivalProfile.Spike, 42, 20_000);
        var perTenSeconds = Enumerable.Range(0, 6).Select(i => schedule.Count(a => (int)(a.At.TotalSeconds / 10) == i)).ToArray();

        // σ = 10 s: the middle 20 s hold about 68 %, each outer 10 s about 2 %.
        Assert.InRange((perTenSeconds[2] + perTenSeconds[3]) / 20_000.0, 0.64, 0.72);
        Assert.True(perTenSeconds[0] < perTenSeconds[2] / 5);
        Assert.True(perTenSeconds[5] < perTenSeconds[3] / 5);
    }

    [Fact]
    public void Create_Steady_FlatAcrossTheWindow()
    {
        var schedule = ArrivalSchedule.Create(20_000, Window, ArrivalProfile.Steady, 42, 20_000);
        var perTenSeconds = Enumerable.Range(0, 6).Select(i => schedule.Count(a => (int)(a.At.TotalSeconds / 10) == i)).ToArray();

        Assert.All(perTenSeconds, c => Assert.InRange(c, 3_100, 3_570));
    }

    [Fact]
    public void Create_FewerAccountsThanUsers_ReusesAccountsInRotation()
    {
        var schedule = ArrivalSchedule.Create(30, Window, ArrivalProfile.Steady, 42, 10);

        Assert.All(schedule.GroupBy(a => a.AccountIndex), g => Assert.Equal(3, g.Count()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ArrivalSchedule.MaxUsers + 1)]
    public void Create_UserCountOutOfBounds_Refused(int users)
    {
        Assert.Throws<SurgeInputException>(() => ArrivalSchedule.Create(users, Window, ArrivalProfile.Spike, 1, 10));
    }

    [Fact]
    public void Create_ZeroWindow_Refused()
    {
        Assert.Throws<SurgeInputException>(() => ArrivalSchedule.Create(10, TimeSpan.Zero, ArrivalProfile.Spike, 1, 10));
    }
}
