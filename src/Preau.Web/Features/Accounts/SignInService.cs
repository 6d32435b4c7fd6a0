using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.Gate;
using Preau.Gate.Admission;

namespace Preau.Web.Features.Accounts;

internal enum SignInStatus
{
    Success,

    /// <summary>Wrong login, password or code: one answer for all, so logins cannot be enumerated.</summary>
    InvalidCredentials,

    /// <summary>Too many failures for this login from this address: wait <see cref="SignInResult.RetryAfter"/>.</summary>
    Slowed,

    /// <summary>The hashing lane is full: come back in <see cref="SignInResult.RetryAfter"/>.</summary>
    Busy,

    /// <summary>The "password" typed was the account's valid activation code: choose a password.</summary>
    ActivationRequired,

    /// <summary>The activation code is right but past its date.</summary>
    ActivationExpired,

    /// <summary>The new password does not follow <see cref="PasswordPolicy"/>; see <see cref="SignInResult.Errors"/>.</summary>
    PasswordRejected,

    /// <summary>Right password, but the region signs people in through its academic provider
    /// (<see cref="External.ExternalSignInOptions.AllowLocalPassword"/> false); only the region administrator may.</summary>
    LocalPasswordOff,
}

internal sealed record SignInResult(SignInStatus Status, SignedInUser? User = null, TimeSpan? RetryAfter = null,
    IReadOnlyList<string>? Errors = null)
{
    public int RetryAfterSeconds => (int)Math.Ceiling(Math.Max(1, RetryAfter?.TotalSeconds ?? 1));
}

internal sealed record SignedInUser(Guid Id, string DisplayName, string Profile);

/// <summary>
/// Checks credentials and opens the session cookie; shared by the pages and the API. Every
/// password hash runs in the <see cref="HashingLane"/>. Failures slow down one login from one
/// source address with growing waits (the gate's throttle, shared by the nodes through Redis):
/// a stranger guessing a pupil's password slows only their own address, never the pupil at
/// home, nor a remembered device or an open session. Known and unknown logins take the same path
/// and get the same answers.
/// </summary>
internal sealed class SignInService(PreauDbContext db, HashingLane lane, IPreauGate gate,
    RememberedDevices devices, ServerSessions sessions, IOptions<AccountsOptions> options, TimeProvider clock,
    IOptions<External.ExternalSignInOptions> external)
{
    /// <summary>Property of the session ticket: when its security stamp was last compared to the database.</summary>
    public const string StampCheckedAt = ".preau.stamp-checked";

    private TimeSpan BusyDelay => TimeSpan.FromSeconds(options.Value.BusyRetryAfterSeconds);

    /// <summary>Password sign-in; <paramref name="remember"/> also remembers this device (see <see cref="RememberedDevices"/>).</summary>
    public async Task<SignInResult> SignInAsync(HttpContext http, string login, string password, bool remember, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var normalized = NormalizeLogin(login);
        if (await gate.SignInWaitAsync(http, normalized) is { } wait)
        {
            return Slowed(wait);
        }

        var account = await db.Accounts.Include(a => a.Person).SingleOrDefaultAsync(a => a.Login == normalized, ct);
        if (account?.Person is null)
        {
            return await FailUnknownAsync(http, normalized, password, ct);
        }

        if (MatchesActivationCode(account, password))
        {
            return account.ActivationExpiresAt is { } expires && expires <= now
                ? new SignInResult(SignInStatus.ActivationExpired)
                : new SignInResult(SignInStatus.ActivationRequired);
        }

        var storedHash = account.PasswordHash;
        var verified = await lane.TryRunAsync<(PasswordCheck Check, string? NewHash)>(() =>
        {
            if (storedHash is null)
            {
                // Not activated yet: same work as a real check, then a refusal.
                PasswordHasher.VerifyDummy(password);
                return (PasswordCheck.Failed, null);
            }

            var check = PasswordHasher.Verify(storedHash, password);
            return (check, check == PasswordCheck.SuccessRehashNeeded ? PasswordHasher.Hash(password) : null);
        }, Source(http), ct);
        if (!verified.Admitted)
        {
            return new SignInResult(SignInStatus.Busy, RetryAfter: BusyDelay);
        }

        if (verified.Value.Check == PasswordCheck.Failed)
        {
            return await FailAsync(http, normalized);
        }

        if (external.Value is { Enabled: true, AllowLocalPassword: false } && account.Person.Profile != Profile.RegionAdmin)
        {
            // Said only after the right password, so it tells a stranger nothing about the account.
            return new SignInResult(SignInStatus.LocalPasswordOff);
        }

        if (verified.Value.NewHash is { } upgraded)
        {
            account.PasswordHash = upgraded;
            await db.SaveChangesAsync(ct);
        }

        await gate.SignInSucceededAsync(http, normalized);
        if (remember)
        {
            await devices.RememberAsync(http, account, ct);
        }

        return await OpenSessionAsync(http, account, now);
    }

    /// <summary>
    /// Sign-in with the remembered-device credential this browser presents: no password, no hash.
    /// A login slowed by someone guessing its password still opens here, even from the same address:
    /// the device proved it signed in with the right password before.
    /// </summary>
    public async Task<SignInResult> SignInWithDeviceAsync(HttpContext http, CancellationToken ct)
    {
        var account = await devices.RedeemAsync(http, ct);
        if (account is null)
        {
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        return await OpenSessionAsync(http, account, clock.GetUtcNow());
    }

    /// <summary>First sign-in: the one-time code and a new password; the code is spent atomically.</summary>
    public async Task<SignInResult> ActivateAsync(HttpContext http, string login, string code, string newPassword, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var normalized = NormalizeLogin(login);
        var errors = PasswordPolicy.Check(normalized, newPassword);
        if (errors.Count > 0)
        {
            return new SignInResult(SignInStatus.PasswordRejected, Errors: errors);
        }

        if (await gate.SignInWaitAsync(http, normalized) is { } wait)
        {
            return Slowed(wait);
        }

        var account = await db.Accounts.Include(a => a.Person).SingleOrDefaultAsync(a => a.Login == normalized, ct);
        if (account?.Person is null)
        {
            // A known login with a wrong code hashes nothing either.
            return await FailAsync(http, normalized);
        }

        if (!MatchesActivationCode(account, code))
        {
            return await FailAsync(http, normalized);
        }

        if (account.ActivationExpiresAt is { } expires && expires <= now)
        {
            return new SignInResult(SignInStatus.ActivationExpired);
        }

        var hashed = await lane.TryRunAsync(() => PasswordHasher.Hash(newPassword), Source(http), ct);
        if (!hashed.Admitted)
        {
            return new SignInResult(SignInStatus.Busy, RetryAfter: BusyDelay);
        }

        var codeHash = account.ActivationCodeHash;
        var stamp = NewStamp();
        // The code is in the WHERE: of two activations racing with one code, only one wins.
        var updated = await db.Accounts
            .Where(a => a.PersonId == account.PersonId && a.ActivationCodeHash == codeHash)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.PasswordHash, hashed.Value)
                .SetProperty(a => a.ActivationCodeHash, (string?)null)
                .SetProperty(a => a.ActivationExpiresAt, (DateTimeOffset?)null)
                .SetProperty(a => a.SecurityStamp, stamp), ct);
        if (updated == 0)
        {
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        account.SecurityStamp = stamp;
        await gate.SignInSucceededAsync(http, normalized);
        return await OpenSessionAsync(http, account, now);
    }

    /// <summary>Changes the signed-in user's password; other sessions end at their next stamp check,
    /// this one is reissued with the new stamp.</summary>
    public async Task<SignInResult> ChangePasswordAsync(HttpContext http, Guid personId, string currentPassword, string newPassword,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await db.Accounts.Include(a => a.Person).SingleOrDefaultAsync(a => a.PersonId == personId, ct);
        if (account?.Person is null)
        {
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        if (await gate.SignInWaitAsync(http, account.Login) is { } wait)
        {
            return Slowed(wait);
        }

        var errors = PasswordPolicy.Check(account.Login, newPassword);
        if (errors.Count == 0 && string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            errors = ["Le nouveau mot de passe doit être différent de l'actuel."];
        }

        if (errors.Count > 0)
        {
            return new SignInResult(SignInStatus.PasswordRejected, Errors: errors);
        }

        var storedHash = account.PasswordHash;
        HashingLaneSignal.MarkHashed(http);
        var result = await lane.TryRunAsync(() =>
            PasswordHasher.Verify(storedHash, currentPassword) == PasswordCheck.Failed ? null : PasswordHasher.Hash(newPassword),
            Source(http), ct);
        if (!result.Admitted)
        {
            return new SignInResult(SignInStatus.Busy, RetryAfter: BusyDelay);
        }

        if (result.Value is null)
        {
            // A stolen session must not become a free password-guessing oracle.
            return await FailAsync(http, account.Login);
        }

        account.PasswordHash = result.Value;
        account.SecurityStamp = NewStamp();
        await db.SaveChangesAsync(ct);
        // The new stamp already refuses them; deleting the rows keeps the account page honest.
        await devices.ForgetAllAsync(http, personId, ct);
        // Every other session ends now; this one is renewed below with the new stamp (the cookie
        // handler keeps the session key of a request that signs in again).
        var current = ServerSessionStore.Current(http);
        await sessions.CloseAllAsync(personId, current, ct);
        return await OpenSessionAsync(http, account, now);
    }

    public static string NormalizeLogin(string login) => login.Trim().ToLowerInvariant();

    internal static ClaimsPrincipal BuildPrincipal(Account account)
    {
        var person = account.Person ?? throw new InvalidOperationException("Account loaded without its person.");
        var claims = new List<Claim>
        {
            new(PreauClaims.PersonId, person.Id.ToString()),
            new(PreauClaims.Name, person.DisplayName),
            new(PreauClaims.Profile, person.Profile.ToString()),
            new(PreauClaims.RegionId, person.RegionId.ToString()),
            new(PreauClaims.SecurityStamp, account.SecurityStamp),
        };
        if (person.SchoolId is { } schoolId)
        {
            claims.Add(new Claim(PreauClaims.SchoolId, schoolId.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme,
            PreauClaims.Name, PreauClaims.Profile));
    }

    /// <summary>The one way a Préau session opens, whatever proved who the person is.</summary>
    internal static async Task<SignInResult> OpenSessionAsync(HttpContext http, Account account, DateTimeOffset now)
    {
        var properties = new AuthenticationProperties { IsPersistent = true };
        properties.Items[StampCheckedAt] = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, BuildPrincipal(account), properties);
        var person = account.Person!;
        return new SignInResult(SignInStatus.Success, new SignedInUser(person.Id, person.DisplayName, person.Profile.ToString()));
    }

    private static bool MatchesActivationCode(Account account, string typed)
    {
        if (account.ActivationCodeHash is not { } expected || string.IsNullOrWhiteSpace(typed))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(ActivationCodes.Hash(typed)), Encoding.ASCII.GetBytes(expected));
    }

    /// <summary>Whose turn a hash is in the lane: the address's source (an IPv6 client by its /64), as the gate's
    /// per-address limits count it.</summary>
    private static string? Source(HttpContext http) => SourceAddress.Key(http.Connection.RemoteIpAddress);

    private async Task<SignInResult> FailUnknownAsync(HttpContext http, string normalizedLogin, string password, CancellationToken ct)
    {
        // Same work, same queue, same throttle and same answer as a wrong password on a real account.
        var burned = await lane.TryRunAsync(() =>
        {
            PasswordHasher.VerifyDummy(password);
            return true;
        }, Source(http), ct);
        if (!burned.Admitted)
        {
            return new SignInResult(SignInStatus.Busy, RetryAfter: BusyDelay);
        }

        return await FailAsync(http, normalizedLogin);
    }

    /// <summary>Counts the failure for this login from this address (known or not: the key is the login typed).</summary>
    private async Task<SignInResult> FailAsync(HttpContext http, string normalizedLogin)
    {
        var o = options.Value;
        var rule = new SignInThrottle(o.LockoutThreshold, TimeSpan.FromSeconds(o.LockoutFirstDelaySeconds), TimeSpan.FromMinutes(o.LockoutMinutes));
        return await gate.SignInFailedAsync(http, normalizedLogin, rule) is { } wait
            ? Slowed(wait)
            : new SignInResult(SignInStatus.InvalidCredentials);
    }

    private static SignInResult Slowed(TimeSpan wait) => new(SignInStatus.Slowed, RetryAfter: wait);

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
