using System.ComponentModel.DataAnnotations;

namespace Preau.Web.Features.Accounts;

/// <summary>Section <c>Accounts</c>: sessions, lockout and the password-hashing lane.</summary>
internal sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Sliding session length: a pupil signed in on the family tablet stays signed in.</summary>
    [Range(1, 400)]
    public int SessionDays { get; set; } = 14;

    /// <summary>How often a session re-reads its account's security stamp (0: every request).
    /// A few minutes keeps it to one tiny query per user per interval.</summary>
    [Range(0, 1440)]
    public int StampCheckMinutes { get; set; } = 5;

    /// <summary>Failures in a row (password or activation code) for one login from one source address
    /// before that address must wait <see cref="LockoutFirstDelaySeconds"/>; each later failure doubles the wait.</summary>
    [Range(1, 1000)]
    public int LockoutThreshold { get; set; } = 10;

    /// <summary>First wait imposed on a login and address after <see cref="LockoutThreshold"/> failures.</summary>
    [Range(1, 86_400)]
    public int LockoutFirstDelaySeconds { get; set; } = 5;

    /// <summary>Longest wait; failures are forgotten after a quiet period this long.</summary>
    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Argon2id verifications running at once, fixed. Unset (the default): the lane adapts
    /// between 1 and <see cref="HashingMaxConcurrency"/> to keep signed-in pages under their target.</summary>
    [Range(1, 256)]
    public int? HashingConcurrency { get; set; }

    /// <summary>Widest the adaptive lane may grow; unset: one per core.</summary>
    [Range(1, 256)]
    public int? HashingMaxConcurrency { get; set; }

    /// <summary>p95 server time of signed-in requests above which the lane narrows (the gate's own
    /// signal: what people already inside are waiting for).</summary>
    [Range(1, 10_000)]
    public int HashingLatencyTargetMs { get; set; } = 50;

    /// <summary>Operating-system nice value of the hashing threads (0: same priority as pages; 1–19: lower).
    /// At the default 10 a page that needs a core takes it from a hash at once, so the lane can run one hash
    /// per core; the controller still narrows it if pages get slow.</summary>
    [Range(0, 19)]
    public int HashingNiceness { get; set; } = 10;

    /// <summary>How often the lane's size is reconsidered.</summary>
    [Range(100, 60_000)]
    public int HashingControlMilliseconds { get; set; } = 1000;

    /// <summary>Sign-ins waiting for a hashing slot before new ones are told to come back later. Unset: as many as
    /// the lane's slots finish in <see cref="HashingQueueWaitMilliseconds"/> at the measured time of one hash, at
    /// most 64. Set: exactly that many, whatever the time.</summary>
    [Range(0, 10_000)]
    public int? HashingQueue { get; set; }

    /// <summary>
    /// How long a sign-in may wait for a hashing slot when <see cref="HashingQueue"/> is unset (500 ms). With 32
    /// waiting on a two-core node, the closure morning's admitted requests had a p99 of 1.7 s, all of it sign-ins
    /// waiting for a slot; with the wait bounded in time the sign-ins beyond it are held at once (503 +
    /// Retry-After) and the p99 stays under a second on a quiet and on a busy machine alike (BENCHMARKS.md §22).
    /// </summary>
    [Range(50, 10_000)]
    public int HashingQueueWaitMilliseconds { get; set; } = 500;

    /// <summary>Most sign-ins that may wait for a slot: <see cref="HashingQueue"/>, else 64.</summary>
    public int EffectiveHashingQueue => HashingQueue ?? 64;

    /// <summary>The time bound on waiting for a slot: none when <see cref="HashingQueue"/> fixes the count.</summary>
    public TimeSpan HashingQueueWait => HashingQueue is null ? TimeSpan.FromMilliseconds(HashingQueueWaitMilliseconds) : TimeSpan.Zero;

    /// <summary>Seconds announced in Retry-After when the hashing lane is full.</summary>
    [Range(1, 300)]
    public int BusyRetryAfterSeconds { get; set; } = 2;

    /// <summary>Days a remembered device may open sessions without a password, counted from the
    /// password sign-in that remembered it (0: devices are never remembered).</summary>
    [Range(0, 400)]
    public int RememberedDeviceDays { get; set; } = 90;

    /// <summary>How often each node deletes what has expired: sessions past their end (the connected apps they
    /// signed into are told), remembered devices older than every region allows (0: never).</summary>
    [Range(0, 86_400)]
    public int HousekeepingSeconds { get; set; } = 900;

    /// <summary>Per-region override of <see cref="RememberedDeviceDays"/>, by region code (e.g.
    /// <c>Accounts:RememberedDeviceDaysByRegion:NORMANDIE = 30</c>).</summary>
    public Dictionary<string, int> RememberedDeviceDaysByRegion { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int MaxHashingConcurrency => HashingConcurrency ?? HashingMaxConcurrency ?? Environment.ProcessorCount;

    /// <summary>Where the lane starts, then it adapts: one hash per core when hashing runs below pages'
    /// priority (<see cref="HashingNiceness"/>), else cores − 1 so that pages keep a core.</summary>
    public int InitialHashingConcurrency => HashingConcurrency
        ?? Math.Clamp(HashingNiceness > 0 ? Environment.ProcessorCount : Environment.ProcessorCount - 1, 1, MaxHashingConcurrency);
}
