namespace Preau.Web.Features.Seed;

/// <summary>Section <c>Demo</c>. Unset <c>Enabled</c>: on with the embedded SQLite database, except in the
/// <c>Testing</c> environment; off on PostgreSQL (a region creates its first administrator with <c>create-admin</c>).</summary>
internal sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool? Enabled { get; set; }
}

/// <summary>Section <c>Seed</c>, for the <c>seed</c> command.</summary>
internal sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>On PostgreSQL, write people, accounts, memberships and guardian links with binary
    /// COPY instead of EF Core batches. Off only to compare the two (BENCHMARKS.md, section 4).</summary>
    public bool PostgresCopy { get; set; } = true;
}
