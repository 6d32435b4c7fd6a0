using Preau.Surge.Cli;
using Preau.Surge.Journey;
using Preau.Surge.Measurement;
using Preau.Surge.Planning;
using Preau.Surge.Reporting;
using Preau.Surge.Running;
using Preau.Surge.Schedule;

namespace Preau.Surge.Tests;

public sealed class CapacityPlannerTests
{
    private static readonly NodeCapacity Node = new(UsersPerSecond: 100, SignInsPerSecond: 50, RequestsPerUser: 10, "test");

    private static PlanInputs Million(bool gate, ArrivalProfile profile = ArrivalProfile.Spike) =>
        new(1_000_000, TimeSpan.FromMinutes(30), profile, gate, Headroom: 1.3, DbQueriesPerRequest: 2, DbQueriesPerSecondPerNode: 20_000);

    [Fact]
    public void Plan_GateOn_SizedOnTheMeanRateWithHeadroom()
    {
        var plan = CapacityPlanner.Plan(Node, Million(gate: true));

        // 1,000,000 / 1,800 s = 555.6/s; × 1.3 = 722.2/s
        Assert.Equal(555.6, plan.MeanArrivalsPerSecond, 1);
        Assert.Equal(722.2, plan.RequiredUsersPerSecond, 1);
        Assert.Equal(8, plan.PageNodes);        // 722.2 / 100
        Assert.Equal(15, plan.HashingNodes);    // 722.2 / 50
        Assert.Equal(15, plan.WebNodes);
        Assert.Equal(722.2 * 10 * 2, plan.DbQueriesPerSecond, 0);
        Assert.Equal(1, plan.DbNodes);          // 14,444 / 20,000
    }

    [Fact]
    public void Plan_GateOff_MustAbsorbTheSpikePeak()
    {
        var on = CapacityPlanner.Plan(Node, Million(gate: true));
        var off = CapacityPlanner.Plan(Node, Million(gate: false));

        Assert.Equal(on.RequiredUsersPerSecond * 6 / Math.Sqrt(2 * Math.PI), off.RequiredUsersPerSecond, 3);
        Assert.Equal(35, off.WebNodes);         // 1,728.7 / 50
        Assert.Equal(0, off.LongestQueueWaitSeconds);
    }

    [Fact]
    public void Plan_SteadyWithoutGate_NoPeakFactor()
    {
        var plan = CapacityPlanner.Plan(Node, Million(gate: false, ArrivalProfile.Steady));

        Assert.Equal(722.2, plan.RequiredUsersPerSecond, 1);
    }

    [Fact]
    public void Plan_MeasuredNothing_Refused()
    {
        Assert.Throws<SurgeInputException>(() => CapacityPlanner.Plan(Node with { UsersPerSecond = 0 }, Million(gate: true)));
    }

    [Fact]
    public void LongestWait_SteadyArrivalsBelowCapacity_NoQueue()
    {
        Assert.Equal(0, CapacityPlanner.LongestWait(ArrivalProfile.Steady, TimeSpan.FromMinutes(30), 1_000_000, 600), 3);
    }

    [Fact]
    public void LongestWait_SpikeAtTheMeanRate_PeopleQueueButDrainWithinTheWindow()
    {
        var wait = CapacityPlanner.LongestWait(ArrivalProfile.Spike, TimeSpan.FromMinutes(30), 1_000_000, 1_000_000 / 1800.0 * 1.3);

        Assert.InRange(wait, 60, 900);
    }

    [Fact]
    public void Markdown_Plan_StatesItsAssumptions()
    {
        var input = Million(gate: true);
        var md = CapacityPlanner.Markdown(CapacityPlanner.Plan(Node, input), input);

        Assert.Contains("1,000,000 people in 30 min", md, StringComparison.Ordinal);
        Assert.Contains("Assumptions", md, StringComparison.Ordinal);
        Assert.Contains("**15**", md, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeFrom_RunWithGatePolls_PollsDoNotCountAsRequestsPerPerson()
    {
        var recorder = new RunRecorder(TimeSpan.FromSeconds(10));
        recorder.UserArrived(TimeSpan.Zero);
        recorder.UserArrived(TimeSpan.Zero);
        for (var i = 0; i < 10; i++)
        {
            recorder.RequestSent(TimeSpan.Zero, TimeSpan.Zero);
        }

        for (var i = 0; i < 4; i++)
        {
            recorder.Answer(SummaryBuilder.GatePollStep, TimeSpan.Zero, TimeSpan.FromMilliseconds(5), gateAnswer: false);
        }

        var run = new RunResult("t", new SurgeSettings { Target = new Uri("http://127.0.0.1/") }, new RunPlanDescription(2, TimeSpan.FromSeconds(1), ArrivalProfile.Spike, 2),
            recorder, TimeSpan.FromSeconds(2), TimeSpan.Zero, 0, 2, DateTimeOffset.UnixEpoch);

        var node = Commands.NodeFrom(SummaryBuilder.Build(run), "t");

        Assert.Equal(3, node.RequestsPerUser);       // (10 requests − 4 polls) / 2 people
    }
}
