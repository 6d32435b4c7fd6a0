using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Preau.Web.Features.Timetable;

/// <summary>Section <c>CalendarFeed</c>: how often one address may be fetched.</summary>
internal sealed class CalendarFeedOptions
{
    public const string Section = "CalendarFeed";

    /// <summary>Fetches one address may make at once (a family's phones and computers after a restart).</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 20;

    /// <summary>One more fetch allowed every this many seconds (apps poll every 15 min to a few hours).</summary>
    [Range(1, 3_600)]
    public int RefillSeconds { get; set; } = 6;
}

/// <summary>
/// Per-address (per feed token) limit, on top of the gate's per-IP limits that every request meets:
/// a leaked or looping address cannot cost the others. In memory, per node: with several nodes a
/// token gets the burst on each.
/// </summary>
internal sealed class CalendarFeedLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _refill;

    public CalendarFeedLimiter(IOptions<CalendarFeedOptions> options)
    {
        var o = options.Value;
        _refill = TimeSpan.FromSeconds(o.RefillSeconds);
        _limiter = PartitionedRateLimiter.Create<string, string>(hash => RateLimitPartition.GetTokenBucketLimiter(hash, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.Burst, TokensPerPeriod = 1, ReplenishmentPeriod = _refill, QueueLimit = 0, AutoReplenishment = true,
            }));
    }

    /// <summary>Null when this fetch may go on; otherwise how long to wait.</summary>
    public TimeSpan? Refusal(string tokenHash)
    {
        using var lease = _limiter.AttemptAcquire(tokenHash);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : _refill;
    }

    public void Dispose() => _limiter.Dispose();
}
