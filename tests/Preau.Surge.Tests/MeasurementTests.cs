using Preau.Surge.Measurement;

namespace Preau.Surge.Tests;

public sealed class MeasurementTests
{
    [Fact]
    public void Charged_RequestSentLate_IsChargedItsWait()
    {
        // intended at 1.0 s, the generator only sent it at 1.8 s, answer at 2.0 s: the person waited 1 s, not 0.2 s
        var charged = LatencyAccounting.Charged(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        var lag = LatencyAccounting.Lag(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.8));

        Assert.Equal(TimeSpan.FromSeconds(1), charged);
        Assert.Equal(TimeSpan.FromMilliseconds(800), lag);
    }

    [Fact]
    public void Charged_AnswerBeforeIntendedStart_IsZeroNotNegative()
    {
        Assert.Equal(TimeSpan.Zero, LatencyAccounting.Charged(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Answer_LateRequests_PercentilesIncludeTheQueueingDelay()
    {
        var recorder = new RunRecorder(TimeSpan.FromSeconds(30));
        // 99 prompt answers and one request that should have started 3 s before it was answered
        for (var i = 0; i < 99; i++)
        {
            recorder.Answer("step", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.01), gateAnswer: false);
        }

        recorder.Answer("step", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), gateAnswer: false);
        var p = recorder.Step("step").Latency.Snapshot();

        Assert.Equal(100, p.Count);
        Assert.InRange(p.P50Ms, 9.9, 10.1);
        Assert.InRange(p.MaxMs, 2_990, 3_010);
        Assert.Equal(100, recorder.Admitted.Count);
    }

    [Fact]
    public void Answer_GateWaitingPage_NotCountedAsAdmittedLatency()
    {
        var recorder = new RunRecorder(TimeSpan.FromSeconds(30));

        recorder.Answer("1 accueil", TimeSpan.Zero, TimeSpan.FromSeconds(5), gateAnswer: true);

        Assert.Equal(1, recorder.Step("1 accueil").Latency.Count);
        Assert.Equal(0, recorder.Admitted.Count);
    }

    [Fact]
    public void UserFinished_EachOutcome_CountedOnce()
    {
        var recorder = new RunRecorder(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            recorder.UserArrived(TimeSpan.Zero);
        }

        recorder.UserFinished(JourneyOutcome.Completed, false, TimeSpan.Zero);
        recorder.UserFinished(JourneyOutcome.Failed, true, TimeSpan.Zero);
        recorder.UserFinished(JourneyOutcome.Abandoned, false, TimeSpan.Zero);

        Assert.Equal((3, 1, 1, 1, 1, 0), (recorder.Started, recorder.Completed, recorder.Failed, recorder.Abandoned, recorder.UsersWithErrorPage, recorder.Active));
    }

    [Theory]
    [InlineData(100, 110, 100, true)]   // promised 105 for 100: 5 %
    [InlineData(70, 80, 100, true)]     // promised 75 for 100: exactly 25 %
    [InlineData(50, 60, 100, false)]    // promised 55 for 100: 45 %
    [InlineData(200, 220, 100, false)]  // over-promising is as wrong as under-promising
    [InlineData(1, 2, 0.6, true)]       // a short wait: one second of rounding is forgiven
    [InlineData(10, 12, 3, false)]
    public void IsAccurate_PromiseAgainstRealWait_Judged(double low, double high, double actual, bool expected)
    {
        Assert.Equal(expected, EtaAccuracy.IsAccurate(new EtaSample(low, high, actual)));
    }

    [Fact]
    public void Summarize_MixedPromises_SharesAndMedian()
    {
        var samples = new[]
        {
            new EtaSample(10, 10, 10),
            new EtaSample(18, 22, 20),
            new EtaSample(30, 30, 40),  // 25 %: accurate, outside the range
            new EtaSample(10, 10, 40),  // 75 %
        };

        var summary = EtaAccuracy.Summarize(samples);

        Assert.Equal(4, summary.Samples);
        Assert.Equal(0.75, summary.WithinToleranceShare);
        Assert.Equal(0.5, summary.WithinRangeShare);
        Assert.Equal(0.25, summary.MedianRelativeError, 3);
    }

    [Fact]
    public void Summarize_NoOneQueued_AllZero()
    {
        var summary = EtaAccuracy.Summarize([]);

        Assert.Equal(0, summary.Samples);
        Assert.Equal(0, summary.WithinToleranceShare);
    }

    [Fact]
    public void Snapshot_SecondWithoutAGaugeSample_CarriesTheLastValue()
    {
        var series = new TimeSeries(4);
        series.Sample(TimeSpan.FromSeconds(0.9), active: 10, queued: 5);
        series.Sample(TimeSpan.FromSeconds(2.1), active: 30, queued: 7);

        var snapshot = series.Snapshot(4);

        Assert.Equal([10L, 10L, 30L, 30L], snapshot.Active);
        Assert.Equal([5L, 5L, 7L, 7L], snapshot.Queued);
    }

    [Fact]
    public void TimeSeries_EventsAfterTheLimit_LandInTheLastBucket()
    {
        var series = new TimeSeries(3);
        series.Arrival(TimeSpan.FromSeconds(0.5));
        series.Arrival(TimeSpan.FromSeconds(99));
        series.QueuePosition(TimeSpan.FromSeconds(1), 40);
        series.QueuePosition(TimeSpan.FromSeconds(1), 12);

        var snapshot = series.Snapshot(3);

        Assert.Equal([1L, 0L, 1L], snapshot.Arrivals);
        Assert.Equal(40, snapshot.MaxQueuePosition[1]);
    }
}
