using System.Security.Cryptography;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Seed;

/// <summary>Accounts with their secrets, and the region written to the database.</summary>
internal static class RegionWriter
{
    // Ambiguous characters (0/O, 1/l/I) left out: the password is read off paper.
    private const string PasswordAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>"xxxx-xxxx-xxxx" from 54 symbols: about 69 bits, far beyond online guessing.</summary>
    public static string NewPassword()
    {
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = PasswordAlphabet[RandomNumberGenerator.GetInt32(PasswordAlphabet.Length)];
        }

        return $"{chars[..4]}-{chars[4..8]}-{chars[8..]}";
    }

    /// <summary>
    /// One account per person. Passwords are hashed with Argon2id on every core (the ~26 ms each
    /// dominate a password run); activation codes only need SHA-256. Secrets come from the
    /// cryptographic generator, so they differ at every run even when people and logins do not.
    /// </summary>
    public static (Account[] Accounts, AccountLine[] Lines) CreateAccounts(GeneratedRegion region, bool activationCodes,
        DateTimeOffset now, int activationDays, SeedProgress progress, CancellationToken ct)
    {
        var people = region.People;
        var accounts = new Account[people.Count];
        var lines = new AccountLine[people.Count];
        using var step = progress.Step(activationCodes ? "Codes d'activation" : "Mots de passe (Argon2id)", people.Count);
        Parallel.For(0, people.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, i =>
        {
            var seeded = people[i];
            var account = new Account { PersonId = seeded.Person.Id, Login = seeded.Login, CreatedAt = now };
            string secret;
            if (activationCodes)
            {
                secret = ActivationCodes.Generate();
                account.ActivationCodeHash = ActivationCodes.Hash(secret);
                account.ActivationExpiresAt = now.AddDays(activationDays);
            }
            else
            {
                secret = NewPassword();
                account.PasswordHash = PasswordHasher.Hash(secret);
            }

            accounts[i] = account;
            lines[i] = new AccountLine(seeded.Login, secret, seeded.Person.Profile, seeded.SchoolUai, seeded.ClassName);
            step.Advance(1);
        });
        return (accounts, lines);
    }

    /// <summary>
    /// Everything in one transaction, so a failure leaves the database as it was. EF Core
    /// AddRange + SaveChanges in batches of a few thousand rows, change tracking cleared between
    /// batches and detection off: measured at well under the 2-minute budget for 30,000 pupils on
    /// both SQLite and PostgreSQL (see BENCHMARKS-seed.md), so no provider-specific COPY path.
    /// </summary>
    public static async Task WriteAsync(PreauDbContext db, GeneratedRegion region, IReadOnlyList<Account> accounts,
        SeedProgress progress, CancellationToken ct)
    {
        var total = 1 + region.Subjects.Count + region.Schools.Count + region.Groups.Count + region.People.Count + accounts.Count
            + region.Memberships.Count + region.Assignments.Count + region.Guardians.Count;
        using var step = progress.Step("Écriture en base", total);
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Parents before children: foreign keys are checked row by row.
            await InsertAsync(db, [region.Region], step, ct);
            await InsertAsync(db, region.Subjects, step, ct);
            await InsertAsync(db, region.Schools, step, ct);
            await InsertAsync(db, region.Groups, step, ct);
            await InsertAsync(db, region.People.Select(p => p.Person).ToList(), step, ct);
            await InsertAsync(db, accounts, step, ct);
            await InsertAsync(db, region.Memberships, step, ct);
            await InsertAsync(db, region.Assignments, step, ct);
            await InsertAsync(db, region.Guardians, step, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static async Task InsertAsync<T>(PreauDbContext db, IReadOnlyList<T> rows, ISeedStep step, CancellationToken ct)
        where T : class
    {
        const int BatchSize = 4000;
        for (var start = 0; start < rows.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, rows.Count - start);
            db.Set<T>().AddRange(rows.Skip(start).Take(count));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            step.Advance(count);
        }
    }
}
