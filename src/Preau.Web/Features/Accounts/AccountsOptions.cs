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

    /// <summary>Consecutive failures (password or activation code) before the account is locked.</summary>
    [Range(1, 1000)]
    public int LockoutThreshold { get; set; } = 10;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Argon2id verifications running at once; unset: one less than the cores, at least 1.</summary>
    [Range(1, 256)]
    public int? HashingConcurrency { get; set; }

    /// <summary>Sign-ins waiting for a hashing slot before new ones are told to come back later.
    /// Short on purpose: ~26 ms each, 32 waiting is under a second of work per slot.</summary>
    [Range(0, 10_000)]
    public int HashingQueue { get; set; } = 32;

    /// <summary>Seconds announced in Retry-After when the hashing lane is full.</summary>
    [Range(1, 300)]
    public int BusyRetryAfterSeconds { get; set; } = 2;

    public int EffectiveHashingConcurrency => HashingConcurrency ?? Math.Max(1, Environment.ProcessorCount - 1);
}
