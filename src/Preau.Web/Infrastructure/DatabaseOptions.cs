using System.ComponentModel.DataAnnotations;

namespace Preau.Web.Infrastructure;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Section <c>Database</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite, defaults to <c>preau.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply migrations on start. Unset: yes for SQLite, no for PostgreSQL (use the
    /// <c>migrate</c> command there, so no node alters a shared schema by surprise).</summary>
    public bool? MigrateOnStart { get; set; }

    public bool ShouldMigrateOnStart => MigrateOnStart ?? Provider == DatabaseProvider.Sqlite;
}

/// <summary>Section <c>Storage</c>: where Préau keeps files (SQLite database, keys, attachments).</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required]
    public string DataDirectory { get; set; } = "data";

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
