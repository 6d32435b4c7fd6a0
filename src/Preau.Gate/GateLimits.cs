using System.Text.Json;
using Preau.Gate.Store;

namespace Preau.Gate;

/// <summary>
/// The limits in force, changeable while running (an admin page calls <see cref="Update"/>).
/// Starts from configuration section <c>Gate</c>. A change made on one node is published through the
/// store and picked up by the other nodes within a few seconds (the most recent change wins).
/// </summary>
public sealed class GateLimits
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private GateLimitValues _current;
    private AdmissionPolicy _policy;
    private DateTimeOffset _changedAt = DateTimeOffset.MinValue;

    internal GateLimits(GateOptions options, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _current = new GateLimitValues(
            options.Enabled,
            options.MaxActiveUsers,
            options.MaxAdmissionsPerSecond,
            options.IdleTimeout,
            options.LatencyTarget,
            options.Lanes.ToDictionary(l => l.Key, l => l.Value.Share, StringComparer.OrdinalIgnoreCase));
        _policy = BuildPolicy(options, _current);
        Options = options;
    }

    internal GateOptions Options { get; }

    /// <summary>Raised after a change that lowers capacity, so waiting pages may explain a longer wait.</summary>
    internal event Action? CapacityLowered;

    /// <summary>Raised after a local change, with what to publish to the other nodes.</summary>
    internal event Action<string>? Changed;

    /// <summary>The values in force.</summary>
    public GateLimitValues Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    internal AdmissionPolicy Policy
    {
        get
        {
            lock (_lock)
            {
                return _policy;
            }
        }
    }

    /// <summary>Replaces the limits; shares of unknown lanes are ignored.</summary>
    /// <param name="change">Builds the new values from the current ones, e.g. <c>v => v with { MaxActiveUsers = 800 }</c>.</param>
    public void Update(Func<GateLimitValues, GateLimitValues> change)
    {
        bool lowered;
        string published;
        lock (_lock)
        {
            var next = change(_current);
            ArgumentOutOfRangeException.ThrowIfLessThan(next.MaxActiveUsers, 1);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(next.MaxAdmissionsPerSecond);
            lowered = next.MaxActiveUsers < _current.MaxActiveUsers || next.MaxAdmissionsPerSecond < _current.MaxAdmissionsPerSecond;
            _current = next;
            _policy = BuildPolicy(Options, next);
            _changedAt = _time.GetUtcNow();
            published = JsonSerializer.Serialize(new PublishedLimits(next, _changedAt));
        }
        Changed?.Invoke(published);
        if (lowered)
        {
            CapacityLowered?.Invoke();
        }
    }

    /// <summary>Applies limits published by another node if they are more recent than ours.</summary>
    internal bool ApplyPublished(string json)
    {
        PublishedLimits? published;
        try
        {
            published = JsonSerializer.Deserialize<PublishedLimits>(json);
        }
        catch (JsonException)
        {
            return false;
        }
        if (published?.Values is null)
        {
            return false;
        }
        lock (_lock)
        {
            if (published.ChangedAt <= _changedAt || published.Values.MaxActiveUsers < 1 || published.Values.MaxAdmissionsPerSecond <= 0)
            {
                return false;
            }
            _current = published.Values;
            _policy = BuildPolicy(Options, published.Values);
            _changedAt = published.ChangedAt;
            return true;
        }
    }

    private sealed record PublishedLimits(GateLimitValues Values, DateTimeOffset ChangedAt);

    private static AdmissionPolicy BuildPolicy(GateOptions o, GateLimitValues v)
    {
        var lanes = o.Lanes
            .Select(l => new LaneRule(l.Key, (v.Shares.TryGetValue(l.Key, out var share) ? share : l.Value.Share) / 100.0, l.Value.Priority))
            .OrderBy(l => l.Priority)
            .ToList();
        var max = v.MaxAdmissionsPerSecond;
        return new AdmissionPolicy(
            lanes,
            v.MaxActiveUsers,
            Math.Min(o.InitialAdmissionsPerSecond, max),
            Math.Min(o.MinAdmissionsPerSecond, max),
            max,
            (long)v.IdleTimeout.TotalMilliseconds,
            (long)o.ClaimGrace.TotalMilliseconds,
            (long)o.FairStartWindow.TotalMilliseconds,
            // the page refreshes at most RefreshSeconds apart: two missed refreshes is gone (never under 10 s: a
            // phone on a slow network, or a busy node, may answer a refresh late)
            Math.Max(2L * o.RefreshSeconds * 1000, 10_000));
    }
}

/// <summary>A set of live limits.</summary>
/// <param name="Enabled">Whether the gate queues at all.</param>
/// <param name="MaxActiveUsers">Most active users at once.</param>
/// <param name="MaxAdmissionsPerSecond">Ceiling of the adaptive admission rate.</param>
/// <param name="IdleTimeout">Inactivity after which a user's place is released.</param>
/// <param name="LatencyTarget">p95 latency the admission rate aims under.</param>
/// <param name="Shares">Reserved share per lane, in percent.</param>
public sealed record GateLimitValues(
    bool Enabled,
    int MaxActiveUsers,
    double MaxAdmissionsPerSecond,
    TimeSpan IdleTimeout,
    TimeSpan LatencyTarget,
    IReadOnlyDictionary<string, double> Shares);
