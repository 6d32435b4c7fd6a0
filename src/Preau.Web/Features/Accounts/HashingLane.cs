using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Preau.Web.Features.Accounts;

/// <summary>What a caller gets back from the lane: the work's value, or "busy, come back later".</summary>
internal readonly record struct LaneResult<T>(bool Admitted, T Value)
{
    public static LaneResult<T> Busy => new(false, default!);
}

/// <summary>
/// Runs password hashing (~11–26 ms of CPU and 19 MiB each) on dedicated threads with a short
/// admission queue. At 9:00 a whole school signs in at once: hashing on the thread pool would
/// starve the pool and slow every page for people already signed in, and an unbounded queue would
/// turn the storm into timeouts. Here at most <see cref="Size"/> hashes run, at most
/// <see cref="QueueCapacity"/> wait, and everyone else is told at once to come back. The waiting ones are
/// served one source (address) at a time in turn, so that one address cannot keep the others out.
/// <see cref="Size"/> moves between 1 and <see cref="MaxSize"/>: <see cref="HashingLaneController"/>
/// widens it while signed-in pages stay fast and narrows it as soon as they do not.
/// The gate reads <see cref="IsFull"/> and <see cref="QueueLength"/> to hold sign-ins upstream.
/// </summary>
public sealed class HashingLane : IDisposable
{
    // Waiting work, one FIFO per source (oldest first), served in turn (see TryRunAsync); guarded by _slots.
    private readonly Dictionary<string, LinkedList<Waiting>> _bySource = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private bool _closed;
    private readonly BlockingCollection<Action>? _completions;
    private readonly Thread[] _workers;
    private readonly TimeProvider _clock;
    private readonly object _slots = new();
    private readonly Counter<long>? _busy;
    private readonly Counter<long>? _completedCounter;
    private readonly Histogram<double>? _queueWait;
    private readonly int _queueLimit;
    private readonly double _maxQueueWaitMs;
    private double _hashMs;
    private int _size;
    private int _running;
    private int _admitted;
    private int _inFlight;
    private int _waited;
    private long _completed;

    /// <summary>A lane of fixed size.</summary>
    internal HashingLane(int concurrency, int queueCapacity, IMeterFactory? meters = null)
        : this(concurrency, concurrency, queueCapacity, meters, TimeProvider.System)
    {
    }

    /// <summary>
    /// A lane from <paramref name="initialSize"/> to <paramref name="maxSize"/> slots (threads at
    /// <paramref name="niceness"/>) where at most <paramref name="queueCapacity"/> hashes wait. With a positive
    /// <paramref name="maxQueueWait"/> fewer may wait: as many as the slots finish within that time at the measured
    /// time of one hash (at least one per slot), so that a sign-in waits about that long for a slot on a fast machine
    /// and on a slow or busy one alike.
    /// </summary>
    internal HashingLane(int initialSize, int maxSize, int queueCapacity, IMeterFactory? meters, TimeProvider clock,
        int niceness = 0, TimeSpan maxQueueWait = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueCapacity);
        _clock = clock;
        MaxSize = maxSize;
        _size = Math.Clamp(initialSize, 1, maxSize);
        _queueLimit = queueCapacity;
        _maxQueueWaitMs = maxQueueWait.TotalMilliseconds;
        // One thread per possible slot; the ones above Size sleep on the slot monitor, not on a core.
        _workers = new Thread[maxSize];
        for (var i = 0; i < maxSize; i++)
        {
            _workers[i] = new Thread(() => Work(niceness)) { IsBackground = true, Name = $"preau-hashing-{i}" };
            _workers[i].Start();
        }

        if (niceness > 0)
        {
            // A thread inherits its creator's nice value, and the thread pool creates its threads from whichever
            // thread wakes it: completing a caller's task from a hashing thread would one day leave pool threads,
            // which serve pages, at the hashing priority. Completions go through a thread at pages' priority.
            _completions = [];
            new Thread(Complete) { IsBackground = true, Name = "preau-hashed" }.Start();
        }

        if (meters is not null)
        {
            // Meter "Preau" (Infrastructure/Telemetry): what an operator watches at 9:00.
            var meter = meters.Create(Infrastructure.Telemetry.MeterName);
            meter.CreateObservableGauge("preau.hashing.queue.length", () => QueueLength, "{hash}", "Password hashes waiting for a slot");
            meter.CreateObservableGauge("preau.hashing.in_flight", () => InFlight, "{hash}", "Password hashes running");
            meter.CreateObservableGauge("preau.hashing.lane.size", () => Size, "{hash}", "Password hashes allowed to run at once now");
            _busy = meter.CreateCounter<long>("preau.hashing.busy", "{request}", "Sign-ins told to come back (lane full)");
            _completedCounter = meter.CreateCounter<long>("preau.hashing.completed", "{hash}", "Password hashes done (its rate is hashes per second)");
            _queueWait = meter.CreateHistogram("preau.hashing.queue.wait", "s", "Time a hash waited for a slot",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        }
    }

    /// <summary>Hashes that may run at the same time now.</summary>
    public int Size => Volatile.Read(ref _size);

    /// <summary>The widest the lane may become.</summary>
    public int MaxSize { get; }

    /// <summary>Hashes that may wait for a free slot now (see the constructor's <c>maxQueueWait</c>).</summary>
    public int QueueCapacity
    {
        get
        {
            var hashMs = Volatile.Read(ref _hashMs);
            if (_maxQueueWaitMs <= 0 || hashMs <= 0)
            {
                return _queueLimit;
            }
            var size = Size;
            return (int)Math.Clamp(Math.Floor(_maxQueueWaitMs * size / hashMs), Math.Min(size, _queueLimit), _queueLimit);
        }
    }

    /// <summary>Hashes running now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Hashes admitted and waiting for a slot.</summary>
    public int QueueLength => Math.Max(0, Volatile.Read(ref _admitted) - InFlight);

    /// <summary>Hashes done since start (work skipped for a caller who left is not counted).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>True when a new sign-in would be refused as busy.</summary>
    public bool IsFull => Volatile.Read(ref _admitted) >= Size + QueueCapacity;

    /// <summary>Sets how many hashes may run at once (clamped to 1…<see cref="MaxSize"/>). A narrower lane
    /// lets running hashes finish and starts no new one until it is under the new size.</summary>
    internal void Resize(int size)
    {
        lock (_slots)
        {
            Volatile.Write(ref _size, Math.Clamp(size, 1, MaxSize));
            Monitor.PulseAll(_slots);
        }
    }

    /// <summary>True when some hash had to wait for a slot since the last call: the lane was the limit.</summary>
    internal bool TakeSaturated() => Interlocked.Exchange(ref _waited, 0) == 1;

    /// <summary>Runs <paramref name="work"/> on a hashing thread, or answers busy at once when the lane is full.
    /// Work whose caller gave up (cancelled) while it waited is skipped: no CPU for a closed tab.</summary>
    internal Task<LaneResult<T>> TryRunAsync<T>(Func<T> work, CancellationToken ct) => TryRunAsync(work, null, ct);

    /// <summary>
    /// As <see cref="TryRunAsync{T}(Func{T}, CancellationToken)"/>, for a caller from <paramref name="source"/> (the
    /// sign-in's address, <c>SourceAddress.Key</c>; null: one shared source). The waiting hashes of each source run
    /// in turn, one source after the other, so that one address posting as fast as it is answered gets one turn in
    /// N, not the whole lane. When the queue is full, a newcomer whose source waits with fewer hashes than the
    /// source that waits with the most takes that source's newest place (told busy, to come back): a flood that
    /// keeps the queue full cannot lock everybody else out.
    /// </summary>
    internal Task<LaneResult<T>> TryRunAsync<T>(Func<T> work, string? source, CancellationToken ct)
    {
        var key = source ?? string.Empty;
        var queuedAt = _clock.GetTimestamp();
        var done = new TaskCompletionSource<LaneResult<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Waiting? pushedOut = null;
        lock (_slots)
        {
            var admitted = _admitted;
            if (_closed || (admitted >= Size + QueueCapacity && (pushedOut = PushOutFor(key)) is null))
            {
                Volatile.Write(ref _waited, 1);
                _busy?.Add(1);
                return Task.FromResult(LaneResult<T>.Busy);
            }

            if (pushedOut is null)
            {
                Volatile.Write(ref _admitted, admitted + 1);
            }

            if (admitted >= Size)
            {
                Volatile.Write(ref _waited, 1);
            }

            Enqueue(key, new Waiting(Run, () => done.TrySetResult(LaneResult<T>.Busy)));
            Monitor.PulseAll(_slots);
        }

        if (pushedOut is not null)
        {
            _busy?.Add(1);
            pushedOut.Refuse();
        }

        return done.Task;

        void Run() => RunWork(work, done, queuedAt, ct);
    }

    /// <summary>The newest waiting hash of the source that waits with the most, taken out of the queue, if that
    /// source waits with at least two more than <paramref name="key"/>'s; otherwise null. Under <c>_slots</c>.</summary>
    private Waiting? PushOutFor(string key)
    {
        var mine = _bySource.TryGetValue(key, out var own) ? own.Count : 0;
        LinkedList<Waiting>? largest = null;
        foreach (var (other, queue) in _bySource)
        {
            if (other != key && queue.Count >= mine + 2 && queue.Count > (largest?.Count ?? 0))
            {
                largest = queue;
            }
        }

        if (largest?.Last is not { } newest)
        {
            return null;
        }

        largest.RemoveLast(); // an emptied queue keeps its turn until DequeueInTurn drops it
        return newest.Value;
    }

    /// <summary>Under <c>_slots</c>. A source is in <c>_bySource</c> exactly while its key is in <c>_turns</c>.</summary>
    private void Enqueue(string key, Waiting item)
    {
        if (!_bySource.TryGetValue(key, out var queue))
        {
            queue = new LinkedList<Waiting>();
            _bySource[key] = queue;
            _turns.Enqueue(key);
        }

        queue.AddLast(item);
    }

    /// <summary>The next waiting hash, the sources taking turns; null when none waits. Under <c>_slots</c>.</summary>
    private Waiting? DequeueInTurn()
    {
        while (_turns.TryDequeue(out var key))
        {
            var queue = _bySource[key];
            if (queue.First is not { } first)
            {
                _bySource.Remove(key); // its last place was pushed out
                continue;
            }

            queue.RemoveFirst();
            if (queue.Count > 0)
            {
                _turns.Enqueue(key); // back of the line: the other sources go first
            }
            else
            {
                _bySource.Remove(key);
            }

            return first.Value;
        }

        return null;
    }

    private sealed record Waiting(Action Run, Action Refuse);

    private void RunWork<T>(Func<T> work, TaskCompletionSource<LaneResult<T>> done, long queuedAt, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            Finish(() => done.TrySetCanceled(ct));
            return;
        }

        _queueWait?.Record(_clock.GetElapsedTime(queuedAt).TotalSeconds);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var started = _clock.GetTimestamp();
            var value = work();
            var took = _clock.GetElapsedTime(started).TotalMilliseconds;
            var average = Volatile.Read(ref _hashMs);
            Volatile.Write(ref _hashMs, average <= 0 ? took : (0.8 * average) + (0.2 * took)); // a lost update between two slots costs nothing
            Interlocked.Increment(ref _completed);
            _completedCounter?.Add(1);
            Finish(() => done.TrySetResult(new LaneResult<T>(true, value)));
        }
#pragma warning disable CA1031 // the worker thread must survive any failure; the caller sees it
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Finish(() => done.TrySetException(ex));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Work(int niceness)
    {
        ThreadNiceness.TryLowerCurrentThread(niceness);
        while (true)
        {
            Waiting? item;
            lock (_slots)
            {
                // A slot and a waiting hash; after Dispose, the hashes already queued still run.
                while (_running >= Size || (_turns.Count == 0 && !_closed))
                {
                    Monitor.Wait(_slots);
                }

                item = DequeueInTurn();
                if (item is null)
                {
                    if (_closed)
                    {
                        Monitor.PulseAll(_slots);
                        return;
                    }

                    continue;
                }

                _running++;
            }

            try
            {
                item.Run();
            }
            finally
            {
                lock (_slots)
                {
                    _running--;
                    Volatile.Write(ref _admitted, _admitted - 1);
                    Monitor.PulseAll(_slots);
                }
            }
        }
    }

    private void Finish(Action completion)
    {
        if (_completions is null)
        {
            completion();
            return;
        }

        try
        {
            _completions.Add(completion);
        }
        catch (InvalidOperationException)
        {
            completion(); // shutting down
        }
    }

    private void Complete()
    {
        foreach (var completion in _completions!.GetConsumingEnumerable())
        {
            completion();
        }
    }

    /// <summary>Stops taking work; queued hashes still finish (the collections are left to the GC
    /// because worker threads may still be reading them).</summary>
    public void Dispose()
    {
        lock (_slots)
        {
            _closed = true;
            Monitor.PulseAll(_slots);
        }

        _completions?.CompleteAdding();
    }
}
