using Preau.Gate.Admission;

namespace Preau.Gate.Tests.Admission;

public sealed class EtaEstimatorTests
{
    [Fact]
    public void Compute_PositionAndRate_GivesRangeAroundPositionOverRate()
    {
        var (low, high) = EtaEstimator.Compute(position: 240, admissionsPerSecond: 1);

        Assert.Equal(192, low);
        Assert.Equal(300, high);
        Assert.Equal("entre 3 et 5 minutes", EtaEstimator.Describe(low, high));
    }

    [Fact]
    public void Describe_ShortAndVeryLongWaits_UsePlainFrench()
    {
        Assert.Equal("moins d'une minute", EtaEstimator.Describe(10, 40));
        Assert.Equal("moins de 2 minutes", EtaEstimator.Describe(30, 90));
        Assert.Equal("plus de 2 heures", EtaEstimator.Describe(EtaEstimator.MaxSeconds, EtaEstimator.MaxSeconds));
    }

    [Fact]
    public void Next_RateEstimateDropsWithoutCapacityDrop_RangeDoesNotGoUp()
    {
        var previous = GateTicket.New() with { EtaLow = 180, EtaHigh = 300, Epoch = 4 };

        var next = EtaEstimator.Next((400, 600), previous, epoch: 4);

        Assert.Equal(180, next.Low);
        Assert.Equal(300, next.High);
        Assert.False(next.RoseAfterCapacityDrop);
    }

    [Fact]
    public void Next_QueueMovesFaster_RangeGoesDown()
    {
        var previous = GateTicket.New() with { EtaLow = 180, EtaHigh = 300, Epoch = 4 };

        var next = EtaEstimator.Next((60, 120), previous, epoch: 4);

        Assert.Equal((60, 120), (next.Low, next.High));
    }

    [Fact]
    public void Next_CapacityReallyDropped_RangeMayRiseAndSaysWhy()
    {
        var previous = GateTicket.New() with { EtaLow = 180, EtaHigh = 300, Epoch = 4 };

        var next = EtaEstimator.Next((400, 600), previous, epoch: 5);

        Assert.Equal((400, 600), (next.Low, next.High));
        Assert.True(next.RoseAfterCapacityDrop);
    }

    [Fact]
    public void Next_SuccessivePollsWithNoisyRate_NeverIncrease()
    {
        var random = new Random(7);
        var ticket = GateTicket.New();
        var lastHigh = int.MaxValue;
        for (var position = 500; position > 0; position -= 10)
        {
            var computed = EtaEstimator.Compute(position, 0.5 + random.NextDouble());
            var eta = EtaEstimator.Next(computed, ticket, epoch: 0);
            Assert.True(eta.High <= lastHigh);
            Assert.True(eta.Low <= eta.High);
            lastHigh = eta.High;
            ticket = ticket with { EtaLow = eta.Low, EtaHigh = eta.High, Epoch = 0 };
        }
    }
}
