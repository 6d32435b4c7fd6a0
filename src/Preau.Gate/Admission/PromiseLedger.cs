namespace Preau.Gate.Admission;

/// <summary>
/// Promises measured against real waits, on this node: each visitor admitted after waiting brings the first
/// range they were shown and the time they really waited. A promise holds when the middle of the range is
/// within ±25 % of the real wait (one second is always forgiven: the gate speaks in whole seconds).
/// </summary>
internal sealed class PromiseLedger
{
    public const double Tolerance = 0.25;
    private const int Kept = 50;

    private readonly Lock _lock = new();
    private readonly Queue<GatePromise> _recent = new();
    private long _count;
    private long _held;

    public static bool Holds(int low, int high, double actualSeconds) =>
        Math.Abs(((low + high) / 2.0) - actualSeconds) <= Math.Max(Tolerance * actualSeconds, 1.0);

    public GatePromise Record(DateTimeOffset at, int low, int high, double actualSeconds)
    {
        var promise = new GatePromise(at, low, high, Math.Round(actualSeconds, 1), Holds(low, high, actualSeconds));
        lock (_lock)
        {
            _count++;
            if (promise.Held)
            {
                _held++;
            }
            _recent.Enqueue(promise);
            while (_recent.Count > Kept)
            {
                _recent.Dequeue();
            }
        }
        return promise;
    }

    public GatePromiseAccuracy Accuracy()
    {
        lock (_lock)
        {
            return new GatePromiseAccuracy(_count, _held, _count == 0 ? null : (double)_held / _count, [.. _recent.Reverse()]);
        }
    }
}
