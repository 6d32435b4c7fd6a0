using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Accounts;

namespace Preau.Web.Features.Accounts;

internal sealed record RememberedDeviceView(Guid Id, string Label, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, bool IsThisDevice);

/// <summary>
/// Remembered devices: after a password sign-in with "rester connecté", the browser keeps a device
/// credential that opens later sessions without an Argon2id hash (the cold morning's main cost). The
/// secret has 256 random bits, so SHA-256 is the right storage hash (nothing to slow down: it cannot
/// be guessed); it is replaced at every use, is bound to the account's security stamp (a password
/// change forgets every device) and expires after the region's maximum age.
/// </summary>
internal sealed class RememberedDevices(PreauDbContext db, IOptions<AccountsOptions> options, TimeProvider clock)
{
    public const string CookieName = "preau-device";

    /// <summary>True when the browser presents a device credential (not yet checked).</summary>
    public static bool IsPresented(HttpContext http) => TryRead(http, out _, out _);

    /// <summary>Remembers this browser for <paramref name="account"/> after a password sign-in.</summary>
    public async Task RememberAsync(HttpContext http, Account account, CancellationToken ct)
    {
        var person = account.Person ?? throw new InvalidOperationException("Account loaded without its person.");
        var maxAge = await MaxAgeAsync(person.RegionId, ct);
        if (maxAge <= TimeSpan.Zero)
        {
            return;
        }

        if (TryRead(http, out var previous, out _))
        {
            // Same browser remembered again: one row per browser, not one per sign-in.
            await db.RememberedDevices.Where(d => d.Id == previous && d.PersonId == person.Id).ExecuteDeleteAsync(ct);
        }

        var now = clock.GetUtcNow();
        var secret = NewSecret();
        var device = new RememberedDevice
        {
            PersonId = person.Id,
            SecretHash = Hash(secret),
            SecurityStamp = account.SecurityStamp,
            Label = DeviceLabels.FromUserAgent(http.Request.Headers.UserAgent.ToString()),
            CreatedAt = now,
            LastUsedAt = now,
        };
        db.RememberedDevices.Add(device);
        await db.SaveChangesAsync(ct);
        Write(http, device.Id, secret, device.CreatedAt + maxAge);
    }

    /// <summary>
    /// The account behind the presented device credential, with its secret already replaced; null (and
    /// the cookie removed) when there is none, or it is unknown, forgotten, stale after a password
    /// change, or past the region's maximum age. No password hash is computed either way.
    /// </summary>
    public async Task<Account?> RedeemAsync(HttpContext http, CancellationToken ct)
    {
        if (!TryRead(http, out var id, out var secret))
        {
            return null;
        }

        var device = await db.RememberedDevices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        var presented = Hash(secret);
        if (device is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(device.SecretHash)))
        {
            Forget(http);
            return null;
        }

        var account = await db.Accounts.Include(a => a.Person).SingleOrDefaultAsync(a => a.PersonId == device.PersonId, ct);
        var now = clock.GetUtcNow();
        var expiresAt = account?.Person is { } person ? device.CreatedAt + await MaxAgeAsync(person.RegionId, ct) : now;
        if (account is null || !string.Equals(account.SecurityStamp, device.SecurityStamp, StringComparison.Ordinal) || now >= expiresAt)
        {
            await db.RememberedDevices.Where(d => d.Id == id).ExecuteDeleteAsync(ct);
            Forget(http);
            return null;
        }

        // Rotation with the old secret in the WHERE: of two requests replaying one secret, only one wins.
        var next = NewSecret();
        var rotated = await db.RememberedDevices.Where(d => d.Id == id && d.SecretHash == presented)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SecretHash, Hash(next)).SetProperty(d => d.LastUsedAt, now), ct);
        if (rotated == 0)
        {
            Forget(http);
            return null;
        }

        Write(http, id, next, expiresAt);
        return account;
    }

    /// <summary>The person's devices that can still sign in, most recently used first.</summary>
    public async Task<IReadOnlyList<RememberedDeviceView>> ListAsync(HttpContext http, Guid personId, CancellationToken ct)
    {
        TryRead(http, out var current, out _);
        var owner = await db.Accounts.AsNoTracking().Where(a => a.PersonId == personId)
            .Select(a => new { a.SecurityStamp, a.Person!.RegionId }).SingleOrDefaultAsync(ct);
        if (owner is null)
        {
            return [];
        }

        var stamp = owner.SecurityStamp;
        var oldest = clock.GetUtcNow() - await MaxAgeAsync(owner.RegionId, ct);
        // A person remembers a handful of devices; 50 is far above any real list.
        var devices = await db.RememberedDevices.AsNoTracking()
            .Where(d => d.PersonId == personId && d.SecurityStamp == stamp && d.CreatedAt > oldest)
            .OrderByDescending(d => d.LastUsedAt).Take(50)
            .Select(d => new RememberedDeviceView(d.Id, d.Label, d.CreatedAt, d.LastUsedAt, d.Id == current))
            .ToListAsync(ct);
        return devices;
    }

    /// <summary>Forgets one of <paramref name="personId"/>'s devices (someone else's id matches nothing).</summary>
    public async Task<bool> ForgetAsync(HttpContext http, Guid personId, Guid deviceId, CancellationToken ct)
    {
        var deleted = await db.RememberedDevices.Where(d => d.Id == deviceId && d.PersonId == personId).ExecuteDeleteAsync(ct);
        if (TryRead(http, out var current, out _) && current == deviceId)
        {
            Forget(http);
        }

        return deleted > 0;
    }

    public async Task<int> ForgetAllAsync(HttpContext http, Guid personId, CancellationToken ct)
    {
        Forget(http);
        return await db.RememberedDevices.Where(d => d.PersonId == personId).ExecuteDeleteAsync(ct);
    }

    private async Task<TimeSpan> MaxAgeAsync(Guid regionId, CancellationToken ct)
    {
        var o = options.Value;
        var days = o.RememberedDeviceDays;
        if (o.RememberedDeviceDaysByRegion.Count > 0)
        {
            var code = await db.Regions.AsNoTracking().Where(r => r.Id == regionId).Select(r => r.Code).SingleOrDefaultAsync(ct);
            if (code is not null && o.RememberedDeviceDaysByRegion.TryGetValue(code, out var regional))
            {
                days = regional;
            }
        }

        return TimeSpan.FromDays(Math.Max(0, days));
    }

    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryRead(HttpContext http, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        if (http.Request.Cookies[CookieName] is not { Length: < 200 } value)
        {
            return false;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !Guid.TryParse(value.AsSpan(0, dot), out id) || value.Length - dot - 1 < 40)
        {
            return false;
        }

        secret = value[(dot + 1)..];
        return true;
    }

    private static void Write(HttpContext http, Guid id, string secret, DateTimeOffset expires) =>
        http.Response.Cookies.Append(CookieName, $"{id:N}.{secret}", new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = "/",
            Expires = expires,
            IsEssential = true,
        });

    private static void Forget(HttpContext http) => http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
}

/// <summary>"Firefox sur Android": enough for a person to recognise a device in a list, nothing more.</summary>
internal static class DeviceLabels
{
    public static string FromUserAgent(string userAgent)
    {
        var browser = Find(userAgent, ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Safari/", "Safari"));
        var system = Find(userAgent, ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"));
        return (browser, system) switch
        {
            (null, null) => "Appareil inconnu",
            (null, { } s) => $"Navigateur sur {s}",
            ({ } b, null) => b,
            ({ } b, { } s) => $"{b} sur {s}",
        };
    }

    private static string? Find(string text, params (string Marker, string Name)[] candidates) =>
        candidates.FirstOrDefault(c => text.Contains(c.Marker, StringComparison.Ordinal)).Name;
}
