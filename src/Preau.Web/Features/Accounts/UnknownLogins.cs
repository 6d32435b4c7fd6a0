using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Preau.Web.Features.Accounts;

/// <summary>
/// Failure counts for logins that do not exist, kept in memory only (no row is ever written for
/// them). They "lock" after the same number of failures as a real account, so that hammering a
/// login cannot tell whether it exists by waiting for the lockout answer.
/// </summary>
internal sealed class UnknownLogins(IOptions<AccountsOptions> options, TimeProvider clock) : IDisposable
{
    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset? LockedUntil;
    }

    // Bounded: a dictionary of made-up logins must not grow without end.
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public DateTimeOffset? LockedUntil(string login) =>
        _entries.TryGetValue(login, out Entry? entry) && entry!.LockedUntil is { } until && until > clock.GetUtcNow() ? until : null;

    /// <summary>Counts a failure; returns the end of the lockout when this failure starts one.</summary>
    public DateTimeOffset? RegisterFailure(string login, DateTimeOffset now)
    {
        var o = options.Value;
        var entry = _entries.GetOrCreate(login, e =>
        {
            e.Size = 1;
            e.SlidingExpiration = TimeSpan.FromMinutes(o.LockoutMinutes * 2);
            return new Entry();
        })!;
        lock (entry)
        {
            if (++entry.Failures < o.LockoutThreshold)
            {
                return null;
            }

            entry.Failures = 0;
            entry.LockedUntil = now.AddMinutes(o.LockoutMinutes);
            return entry.LockedUntil;
        }
    }

    public void Dispose() => _entries.Dispose();
}
