using System.Diagnostics;
using Preau.Surge.Accounts;
using Preau.Surge.Journey;
using Preau.Surge.Measurement;
using Preau.Surge.Schedule;

namespace Preau.Surge.Running;

/// <summary>What a finished run leaves behind, before it is turned into a report.</summary>
internal sealed record RunResult(string Label, SurgeSettings Settings, RunPlanDescription Plan, RunRecorder Recorder, TimeSpan Elapsed,
    TimeSpan CpuTime, int GcCount, long PeakActive, DateTimeOffset StartedAt);

internal sealed record RunPlanDescription(int Users, TimeSpan Window, ArrivalProfile Profile, int Accounts);

/// <summary>
/// Releases people on the precomputed schedule and waits for every one to finish or give up.
/// Connections are shared by all users through one <see cref="SocketsHttpHandler"/> (cookies
/// stay per person): 20,000 private connection pools would exhaust loopback ports and spend the
/// generator's two cores on handshakes instead of on the server under test.
/// </summary>
internal static class SurgeRunner
{
    public static async Task<RunResult> RunAsync(string label, SurgeSettings settings, IReadOnlyList<SeedAccount> accounts,
        IReadOnlyList<Arrival> schedule, RunPlanDescription plan, IProgressSink progress, CancellationToken cancel)
    {
        var recorder = new RunRecorder(settings.DurationLimit);
        // Thousands of people wake at once; waiting for the pool's slow thread injection would show up as send lag.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            MaxConnectionsPerServer = settings.Connections,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        using var http = new HttpMessageInvoker(handler, disposeHandler: false);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        run.CancelAfter(settings.DurationLimit);

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        var startedAt = DateTimeOffset.UtcNow;
        long peakActive = 0;
        recorder.Start();

        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var ticker = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(ticking.Token))
                {
                    var now = recorder.Now;
                    recorder.Series.Sample(now, recorder.Active, recorder.Queued);
                    peakActive = Math.Max(peakActive, recorder.Active);
                    progress.Report(label, recorder, plan.Users);
                }
            }
            catch (OperationCanceledException)
            {
                // the run is over
            }
        }, CancellationToken.None);

        var users = new List<Task>(schedule.Count);
        try
        {
            foreach (var arrival in schedule)
            {
                var wait = arrival.At - recorder.Now;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, run.Token);
                }

                var user = new VirtualUser(http, settings, recorder, accounts[arrival.AccountIndex], arrival.UserIndex);
                users.Add(Task.Run(() => user.RunAsync(arrival.At, run.Token), CancellationToken.None));
            }
        }
        catch (OperationCanceledException)
        {
            // Time limit reached before everyone arrived: those never released are not counted as arrivals.
        }

        await Task.WhenAll(users);
        var elapsed = recorder.Now;
        await ticking.CancelAsync();
        await ticker;
        recorder.Series.Sample(elapsed, recorder.Active, recorder.Queued);
        progress.Finished(label, recorder, plan.Users);

        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore;
        return new RunResult(label, settings, plan, recorder, elapsed, cpu, gcs, peakActive, startedAt);
    }
}
