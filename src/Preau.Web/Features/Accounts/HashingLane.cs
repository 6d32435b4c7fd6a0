using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Preau.Web.Features.Accounts;

/// <summary>What a caller gets back from the lane: the work's value, or "busy, come back later".</summary>
internal readonly record struct LaneResult<T>(bool Admitted, T Value)
{
    public static LaneResult<T> Busy => new(false, default!);
}

/// <summary>
/// Runs password hashing (~26 ms of CPU and 19 MiB each) on a fixed set of dedicated threads
/// with a short admission queue. At 9:00 a whole school signs in at once: hashing on the thread
/// pool would starve the pool and slow every page for people already signed in, and an unbounded
/// queue would turn the storm into timeouts. Here at most <see cref="Concurrency"/> hashes run,
/// at most <see cref="QueueCapacity"/> wait, and everyone else is told at once to come back.
/// The gate reads <see cref="IsFull"/> and <see cref="QueueLength"/> to hold sign-ins upstream.
/// </summary>
public sealed class HashingLane : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread[] _workers;
    private readonly int _capacity;
    private readonly Counter<long>? _busy;
    private int _admitted;
    private int _inFlight;

    internal HashingLane(IOptions<AccountsOptions> options, IMeterFactory? meters)
        : this(options.Value.EffectiveHashingConcurrency, options.Value.HashingQueue, meters)
    {
    }

    internal HashingLane(int concurrency, int queueCapacity, IMeterFactory? meters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueCapacity);
        Concurrency = concurrency;
        QueueCapacity = queueCapacity;
        _capacity = concurrency + queueCapacity;
        _workers = new Thread[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"preau-hashing-{i}" };
            _workers[i].Start();
        }

        if (meters is not null)
        {
            // Meter "Preau" (Infrastructure/Telemetry): what an operator watches at 9:00.
            var meter = meters.Create(Infrastructure.Telemetry.MeterName);
            meter.CreateObservableGauge("preau.hashing.queue.length", () => QueueLength, "{hash}", "Password hashes waiting for a slot");
            meter.CreateObservableGauge("preau.hashing.in_flight", () => InFlight, "{hash}", "Password hashes running");
            _busy = meter.CreateCounter<long>("preau.hashing.busy", "{request}", "Sign-ins told to come back (lane full)");
        }
    }

    /// <summary>Hashes that may run at the same time.</summary>
    public int Concurrency { get; }

    /// <summary>Hashes that may wait for a free slot.</summary>
    public int QueueCapacity { get; }

    /// <summary>Hashes running now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Hashes admitted and waiting for a slot.</summary>
    public int QueueLength => Math.Max(0, Volatile.Read(ref _admitted) - InFlight);

    /// <summary>True when a new sign-in would be refused as busy.</summary>
    public bool IsFull => Volatile.Read(ref _admitted) >= _capacity;

    /// <summary>Runs <paramref name="work"/> on a hashing thread, or answers busy at once when the lane is full.
    /// Work whose caller gave up (cancelled) while it waited is skipped: no CPU for a closed tab.</summary>
    internal Task<LaneResult<T>> TryRunAsync<T>(Func<T> work, CancellationToken ct)
    {
        while (true)
        {
            var admitted = Volatile.Read(ref _admitted);
            if (admitted >= _capacity)
            {
                _busy?.Add(1);
                return Task.FromResult(LaneResult<T>.Busy);
            }

            if (Interlocked.CompareExchange(ref _admitted, admitted + 1, admitted) == admitted)
            {
                break;
            }
        }

        var done = new TaskCompletionSource<LaneResult<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Run()
        {
            if (ct.IsCancellationRequested)
            {
                done.TrySetCanceled(ct);
                return;
            }

            Interlocked.Increment(ref _inFlight);
            try
            {
                done.TrySetResult(new LaneResult<T>(true, work()));
            }
#pragma warning disable CA1031 // the worker thread must survive any failure; the caller sees it
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.TrySetException(ex);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        try
        {
            _work.Add(Run, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Shutting down: the lane no longer takes work.
            Interlocked.Decrement(ref _admitted);
            return Task.FromResult(LaneResult<T>.Busy);
        }

        return done.Task;
    }

    private void Work()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            try
            {
                item();
            }
            finally
            {
                Interlocked.Decrement(ref _admitted);
            }
        }
    }

    /// <summary>Stops taking work; queued hashes still finish (the collection is left to the GC
    /// because worker threads may still be reading it).</summary>
    public void Dispose() => _work.CompleteAdding();
}
