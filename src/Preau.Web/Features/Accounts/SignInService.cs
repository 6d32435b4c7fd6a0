using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Accounts;

namespace Preau.Web.Features.Accounts;

internal enum SignInStatus
{
    Success,
    InvalidCredentials,
}

internal sealed record SignInResult(SignInStatus Status, SignedInUser? User = null);

internal sealed record SignedInUser(Guid Id, string DisplayName, string Profile);

/// <summary>Checks credentials and opens the session cookie; shared by the login page and the API.</summary>
internal sealed class SignInService(PreauDbContext db, TimeProvider clock)
{
    public async Task<SignInResult> SignInAsync(HttpContext http, string login, string password, CancellationToken ct)
    {
        var normalized = NormalizeLogin(login);
        var account = await db.Accounts.Include(a => a.Person).SingleOrDefaultAsync(a => a.Login == normalized, ct);
        if (account?.Person is null)
        {
            // Same work for an unknown login as for a known one: no account enumeration by timing.
            PasswordHasher.VerifyDummy(password);
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        var check = PasswordHasher.Verify(account.PasswordHash, password);
        if (check == PasswordCheck.Failed)
        {
            return new SignInResult(SignInStatus.InvalidCredentials);
        }

        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            account.PasswordHash = PasswordHasher.Hash(password);
        }

        account.LastSignInAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, BuildPrincipal(account),
            new AuthenticationProperties { IsPersistent = true });
        var person = account.Person;
        return new SignInResult(SignInStatus.Success, new SignedInUser(person.Id, person.DisplayName, person.Profile.ToString()));
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
}
