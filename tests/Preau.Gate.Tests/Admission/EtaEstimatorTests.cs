using Preau.Gate.Admission;

namespace Preau.Gate.Tests.Admission;

public sealed class EtaEstimatorTests
{
    private static readonly GateTexts Texts = new();

    [Fact]
    public void Compute_PositionAndRate_GivesRangeAroundPositionOverRate()
    {
        var (low, high) = EtaEstimator.Compute(position: 240, perSecond: 1);

        Assert.Equal(192, low);
        Assert.Equal(300, high);
        Assert.Equal("entre 3 et 5 minutes", EtaEstimator.Describe(low, high, Texts));
    }

    [Fact]
    public void Describe_ShortAndVeryLongWaits_UsePlainFrench()
    {
        Assert.Equal("moins d'une minute", EtaEstimator.Describe(10, 40, Texts));
        Assert.Equal("moins de 2 minutes", EtaEstimator.Describe(30, 90, Texts));
        Assert.Equal("plus de 2 heures", EtaEstimator.Describe(EtaEstimator.MaxSeconds, EtaEstimator.MaxSeconds, Texts));
    }

    [Fact]
    public void Next_EstimatingThenNumberThenEstimatingAgain_NumberShownWhenKnownAndKeptAfterwards()
    {
        var estimating = EtaEstimator.Range(WaitEstimate.Estimating);
        var first = EtaEstimator.Next(estimating, GateTicket.New(), epoch: 1);
        Assert.Equal("en cours d'estimation : le rythme des entrées n'est pas encore assez connu",
            EtaEstimator.Describe(first.Low, first.High, Texts));

        var known = EtaEstimator.Next((240, 375), GateTicket.New() with { EtaLow = first.Low, EtaHigh = first.High, Epoch = 1 }, epoch: 1);
        Assert.Equal((240, 375, EtaRise.None), (known.Low, known.High, known.Rise));

        var again = EtaEstimator.Next(estimating, GateTicket.New() with { EtaLow = known.Low, EtaHigh = known.High, Epoch = 1 }, epoch: 1);
        Assert.Equal((240, 375, EtaRise.None), (again.Low, again.High, again.Rise));
    }

    [Fact]
    public void Next_SlightlyWorseEstimateWithoutCapacityDrop_RangeDoesNotGoUp()
    {
        var previous = GateTicket.New() with { EtaLow = 180, EtaHigh = 300, Epoch = 4 };

        var next = EtaEstimator.Next((250, 390), previous, epoch: 4);

        Assert.Equal(180, next.Low);
        Assert.Equal(300, next.High);
        Assert.Equal(EtaRise.None, next.Rise);
    }

    [Fact]
    public void Next_EstimateStartsBeyondPromise_RisesAndSaysWhy()
    {
        var previous = GateTicket.New() with { EtaLow = 180, EtaHigh = 300, Epoch = 4 };

        var next = EtaEstimator.Next((400, 600), previous, epoch: 4);

        Assert.Equal((400, 600), (next.Low, next.High));
        Assert.Equal(EtaRise.SlowerThanPromised, next.Rise);
    }

    [Fact]
    public void Range_FewDeparturesMeasured_WidensRange()
    {
        var sure = EtaEstimator.Range(new WaitEstimate(100, 0.1));
        var unsure = EtaEstimator.Range(new WaitEstimate(100, 0.6));

        Assert.Equal((80, 125), sure);
        Assert.True(unsure.Low < sure.Low && unsure.High > sure.High);
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
        Assert.Equal(EtaRise.CapacityDropped, next.Rise);
    }

    [Fact]
    public void Next_SuccessivePollsWithNoisyRate_NeverIncreaseWithoutReason()
    {
        var random = new Random(7);
        var ticket = GateTicket.New();
        var lastHigh = int.MaxValue;
        for (var position = 500; position > 0; position -= 10)
        {
            var computed = EtaEstimator.Compute(position, 0.5 + random.NextDouble());
            var eta = EtaEstimator.Next(computed, ticket, epoch: 0);
            Assert.True(eta.High <= lastHigh || eta.Rise != EtaRise.None);
            Assert.True(eta.Low <= eta.High);
            lastHigh = eta.High;
            ticket = ticket with { EtaLow = eta.Low, EtaHigh = eta.High, Epoch = 0 };
        }
    }
}
