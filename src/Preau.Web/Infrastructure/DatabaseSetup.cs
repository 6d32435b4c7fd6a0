using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Preau.Data;

namespace Preau.Web.Infrastructure;

internal static class DatabaseSetup
{
    public const string SqliteMigrations = "Preau.Migrations.Sqlite";
    public const string PostgresMigrations = "Preau.Migrations.Postgres";

    public static WebApplicationBuilder AddPreauData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:ConnectionString est obligatoire avec Database:Provider=Postgres.")
            .Validate(ConnectionStringIsReadable,
                "Database:ConnectionString n'est pas une chaîne de connexion valide pour ce fournisseur (PostgreSQL : Host=…;Database=…;Username=…;Password=…).")
            .ValidateOnStart();

        builder.Services.AddDbContextPool<PreauDbContext>((sp, options) =>
        {
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            Configure(options, db, storage);
        });
        return builder;
    }

    /// <summary>Unknown keywords or a PostgreSQL string without a host are refused at start, not at the first query.</summary>
    private static bool ConnectionStringIsReadable(DatabaseOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            return true;
        }

        try
        {
            if (o.Provider == DatabaseProvider.Postgres)
            {
                return !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(o.ConnectionString).Host);
            }

            _ = new SqliteConnectionStringBuilder(o.ConnectionString);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return false;
        }
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseOptions db, StorageOptions storage)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(db.ConnectionString, o => o.MigrationsAssembly(PostgresMigrations));
        }
        else
        {
            options.UseSqlite(SqliteConnectionString(db, storage), o => o.MigrationsAssembly(SqliteMigrations))
                // EF rebuilds a SQLite table around "PRAGMA foreign_keys = 0", which SQLite refuses inside a
                // transaction, and warns about it: the first thing a school read on its first start. The risk it
                // names (a start cut off in the middle of that one step) is covered by the README's "Upgrading".
                .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug)));
        }
    }

    public static string SqliteConnectionString(DatabaseOptions db, StorageOptions storage)
    {
        if (!string.IsNullOrWhiteSpace(db.ConnectionString))
        {
            return db.ConnectionString;
        }

        Directory.CreateDirectory(storage.FullDataDirectory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(storage.FullDataDirectory, "preau.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>
    /// SQLite (the embedded default) is created and migrated on start. PostgreSQL is migrated only
    /// by the explicit <c>migrate</c> command: a production node refuses to start on a schema
    /// it does not know rather than altering it by surprise.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var db = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (db.ShouldMigrateOnStart)
        {
            await context.Database.MigrateAsync(ct);
        }

        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers go on while one writer writes: the difference between a
            // class reading its homework and a teacher saving it at the same moment.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            return;
        }

        var pending = (await context.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            var count = pending.Count == 1 ? "1 migration en attente" : $"{pending.Count} migrations en attente";
            throw new DatabaseNotMigratedException(
                $"la base PostgreSQL n'est pas à jour ({count}). Lancez d'abord, avec la même configuration : {StartChecks.MigrateCommandLine()}");
        }
    }

    /// <summary>Applies the pending migrations and returns how many there were.</summary>
    public static async Task<int> MigrateAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var pending = (await context.Database.GetPendingMigrationsAsync(ct)).Count();
        await context.Database.MigrateAsync(ct);
        return pending;
    }
}
