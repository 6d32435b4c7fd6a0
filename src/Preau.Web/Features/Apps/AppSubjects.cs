using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Apps;

namespace Preau.Web.Features.Apps;

/// <summary>
/// A protocol's part in saving a connected app: the region administrator's page calls every registered one
/// after the app is saved or deleted (OpenID Connect registers the client with its secret; CAS needs nothing).
/// </summary>
internal interface IAppRegistrar
{
    /// <summary>After a create or an edit; <paramref name="clientSecret"/> is the new secret in clear when one was
    /// just generated, else null.</summary>
    Task AppSavedAsync(ConnectedApp app, string? clientSecret, CancellationToken ct);

    Task AppDeletedAsync(ConnectedApp app, CancellationToken ct);
}

/// <summary>The pseudonymous subjects of people for one app, created on first use (same value on every node:
/// the database is the truth; two nodes racing on the first use keep whichever row won).</summary>
internal sealed class AppSubjects(PreauDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyDictionary<Guid, string>> ForAsync(Guid appId, IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var known = await db.AppSubjects.AsNoTracking()
                .Where(s => s.AppId == appId && personIds.Contains(s.PersonId))
                .ToDictionaryAsync(s => s.PersonId, s => s.Subject, ct);
            var missing = personIds.Where(id => !known.ContainsKey(id)).Distinct().ToList();
            if (missing.Count == 0)
            {
                return known;
            }
            var now = clock.GetUtcNow();
            var added = missing.Select(id => new AppSubject
            {
                AppId = appId,
                PersonId = id,
                Subject = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                CreatedAt = now,
            }).ToList();
            db.AppSubjects.AddRange(added);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // another node created some of them at the same instant: read theirs
                foreach (var row in added)
                {
                    db.Entry(row).State = EntityState.Detached;
                }
                continue;
            }
            foreach (var row in added)
            {
                known[row.PersonId] = row.Subject;
                db.Entry(row).State = EntityState.Detached;
            }
            return known;
        }
    }

    public async Task<string> ForAsync(Guid appId, Guid personId, CancellationToken ct) =>
        (await ForAsync(appId, [personId], ct))[personId];
}
