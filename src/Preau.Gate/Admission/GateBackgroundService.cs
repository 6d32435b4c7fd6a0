using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>Samples the thread pool every second, refreshes the snapshot every two seconds and runs the AIMD step every control interval.</summary>
internal sealed partial class GateBackgroundService(
    GateMonitor monitor,
    AdmissionController controller,
    GateLimits limits,
    IGateStore store,
    GateKeys keys,
    TimeProvider time,
    ILogger<GateBackgroundService> logger) : BackgroundService
{
    /// <summary>Loads the signing key before the host reports started (asynchronously, no blocking in a factory).</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.GetAsync().WaitAsync(cancellationToken);
        if (store is FallbackGateStore shared)
        {
            await shared.HeartbeatAsync().WaitAsync(cancellationToken); // counted among the nodes before serving
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        limits.CapacityLowered += OnCapacityLowered;
        limits.Changed += OnChanged;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            var lastControl = time.GetUtcNow();
            var lastBeat = time.GetUtcNow();
            var tick = 0L;
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    controller.SampleThreadPool();
                    if (store is FallbackGateStore shared && time.GetUtcNow() - lastBeat >= limits.Options.RedisRetryInterval)
                    {
                        lastBeat = time.GetUtcNow();
                        await shared.HeartbeatAsync();
                    }
                    if (tick++ % 2 == 0)
                    {
                        await monitor.RefreshAsync();
                    }
                    if (time.GetUtcNow() - lastControl >= limits.Options.ControlInterval)
                    {
                        lastControl = time.GetUtcNow();
                        await controller.EvaluateAsync();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogLoopFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
        finally
        {
            limits.CapacityLowered -= OnCapacityLowered;
            limits.Changed -= OnChanged;
        }
    }

    private async void OnCapacityLowered()
    {
        try
        {
            await store.BumpCapacityEpochAsync();
        }
        catch (Exception ex)
        {
            LogLoopFailed(logger, ex);
        }
    }

    private async void OnChanged(string published)
    {
        try
        {
            await store.PublishLimitsAsync(published);
        }
        catch (Exception ex)
        {
            LogLoopFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gate background step failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception ex);
}
