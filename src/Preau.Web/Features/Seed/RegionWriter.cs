using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
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
    /// batches and detection off, is under the 2-minute budget for 30,000 pupils on both
    /// providers; on PostgreSQL the big tables go through binary COPY in the same transaction,
    /// which keeps a wide margin when the machine is loaded (figures in BENCHMARKS.md, section 4).
    /// </summary>
    public static async Task WriteAsync(PreauDbContext db, GeneratedRegion region, IReadOnlyList<Account> accounts,
        SeedProgress progress, bool postgresCopy, CancellationToken ct)
    {
        var copy = postgresCopy && db.Database.IsNpgsql();
        var total = 1 + region.Subjects.Count + region.Schools.Count + region.Groups.Count + region.People.Count + accounts.Count
            + region.Memberships.Count + region.Assignments.Count + region.Guardians.Count;
        using var step = progress.Step("Écriture en base", total);
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Parents before children: foreign keys are checked row by row. COPY for the four big
            // tables only (people, accounts, memberships, guardians: 98 % of the rows).
            await InsertAsync(db, [region.Region], step, copy: false, ct);
            await InsertAsync(db, region.Subjects, step, copy: false, ct);
            await InsertAsync(db, region.Schools, step, copy: false, ct);
            await InsertAsync(db, region.Groups, step, copy: false, ct);
            await InsertAsync(db, region.People.Select(p => p.Person).ToList(), step, copy, ct);
            await InsertAsync(db, accounts, step, copy, ct);
            await InsertAsync(db, region.Memberships, step, copy, ct);
            await InsertAsync(db, region.Assignments, step, copy: false, ct);
            await InsertAsync(db, region.Guardians, step, copy, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static async Task InsertAsync<T>(PreauDbContext db, IReadOnlyList<T> rows, ISeedStep step, bool copy, CancellationToken ct)
        where T : class
    {
        if (copy)
        {
            await CopyAsync(db, rows, step, ct);
            return;
        }

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

    /// <summary>
    /// Npgsql binary COPY driven by the EF model (column names, types and value converters such
    /// as enum → integer), so a new column cannot be silently forgotten here.
    /// </summary>
    private static async Task CopyAsync<T>(PreauDbContext db, IReadOnlyList<T> rows, ISeedStep step, CancellationToken ct)
        where T : class
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} n'est pas une entité.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties().Select(p => (
            Name: p.GetColumnName(table) ?? p.Name,
            // "character varying(100)" → "character varying": Npgsql wants the type, not its facets.
            Type: p.GetColumnType().Split('(')[0].Trim(),
            Get: p.GetGetter(),
            Converter: p.GetTypeMapping().Converter)).ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var sql = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, ct);
        var pending = 0;
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in columns)
            {
                var value = column.Get.GetClrValue(row);
                if (value is not null && column.Converter is not null)
                {
                    value = column.Converter.ConvertToProvider(value);
                }

                if (value is null)
                {
                    await importer.WriteNullAsync(ct);
                }
                else
                {
                    await importer.WriteAsync(value, column.Type, ct);
                }
            }

            if (++pending == 2000)
            {
                step.Advance(pending);
                pending = 0;
            }
        }

        await importer.CompleteAsync(ct);
        step.Advance(pending);
    }
}
