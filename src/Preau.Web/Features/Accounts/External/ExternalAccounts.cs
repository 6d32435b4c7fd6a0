using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Accounts;

namespace Preau.Web.Features.Accounts.External;

internal enum ExternalOutcome
{
    /// <summary>Linked before: signed in.</summary>
    SignedIn,

    /// <summary>First time: exactly one active account matched, now linked, signed in.</summary>
    Linked,

    /// <summary>No active account carries the value (or the provider sent none).</summary>
    NoMatch,

    /// <summary>Several accounts carry the value, or the account is already linked to another identity
    /// at this provider: nobody guesses, the school sorts it out.</summary>
    Ambiguous,

    /// <summary>The pupil left the school (deactivated by the import).</summary>
    Deactivated,

    /// <summary>The provider's answer was refused (replayed or forged callback, another client's token, an error).</summary>
    Failed,
}

/// <summary>
/// Finds the Préau account of an identity the provider vouched for: by the link made at the first
/// sign-in, otherwise by the configured claim (login or INE), linking it only when exactly one active
/// account matches. Never a password, never a hash.
/// </summary>
internal sealed class ExternalAccounts(PreauDbContext db, IOptions<ExternalSignInOptions> options, TimeProvider clock)
{
    public async Task<(ExternalOutcome Outcome, Account? Account)> ResolveAsync(string provider, string subject, string? matchValue,
        CancellationToken ct)
    {
        var linked = await db.ExternalIdentities.AsNoTracking()
            .Where(e => e.Provider == provider && e.Subject == subject).Select(e => (Guid?)e.PersonId).SingleOrDefaultAsync(ct);
        if (linked is { } personId)
        {
            return await IsDeactivatedAsync(personId, ct)
                ? (ExternalOutcome.Deactivated, null)
                : (ExternalOutcome.SignedIn, await LoadAsync(personId, ct));
        }

        if (string.IsNullOrWhiteSpace(matchValue))
        {
            return (ExternalOutcome.NoMatch, null);
        }

        var candidates = await Candidates(matchValue.Trim())
            .Select(a => new
            {
                a.PersonId,
                Deactivated = db.ImportedPeople.Any(r => r.PersonId == a.PersonId && r.DeactivatedAt != null),
                LinkedHere = db.ExternalIdentities.Any(e => e.PersonId == a.PersonId && e.Provider == provider),
            })
            // Active accounts first: a pupil whose earlier schools left deactivated records under the same INE is
            // still found, whatever order the database reads them in.
            .OrderBy(c => c.Deactivated).ThenBy(c => c.PersonId)
            .Take(3).ToListAsync(ct);
        var active = candidates.Where(c => !c.Deactivated).ToList();
        if (active.Count == 0)
        {
            return (candidates.Count > 0 ? ExternalOutcome.Deactivated : ExternalOutcome.NoMatch, null);
        }

        if (active.Count > 1 || active[0].LinkedHere)
        {
            return (ExternalOutcome.Ambiguous, null);
        }

        db.ExternalIdentities.Add(new ExternalIdentity
        {
            Provider = provider, Subject = subject, PersonId = active[0].PersonId, LinkedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same identity linked by a parallel callback: the link stands, this one is a plain sign-in.
            db.ChangeTracker.Clear();
            return await ResolveAsync(provider, subject, null, ct) is { Outcome: ExternalOutcome.SignedIn } again
                ? again
                : (ExternalOutcome.Ambiguous, null);
        }

        return (ExternalOutcome.Linked, await LoadAsync(active[0].PersonId, ct));
    }

    private IQueryable<Account> Candidates(string value)
    {
        if (options.Value.MatchOn == ExternalMatch.NationalId)
        {
            var ine = value;
            return db.Accounts.Where(a => db.ImportedPeople.Any(r => r.PersonId == a.PersonId && r.NationalId == ine));
        }

        var login = SignInService.NormalizeLogin(value);
        return db.Accounts.Where(a => a.Login == login);
    }

    private Task<bool> IsDeactivatedAsync(Guid personId, CancellationToken ct) =>
        db.ImportedPeople.AnyAsync(r => r.PersonId == personId && r.DeactivatedAt != null, ct);

    private Task<Account?> LoadAsync(Guid personId, CancellationToken ct) =>
        db.Accounts.Include(a => a.Person).SingleOrDefaultAsync(a => a.PersonId == personId, ct);
}
