namespace Preau.Data.Directory;

/// <summary>
/// A term of a school year as the head configured it (trimester or semester). A school with no
/// configured term for a date falls back on the three usual trimesters (see the web app's SchoolTerms).
/// </summary>
public sealed class SchoolTerm
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }

    /// <summary>The calendar year the school year starts in (2026 for 2026-2027).</summary>
    public int SchoolYear { get; set; }

    /// <summary>1, 2, 3 within the school year.</summary>
    public int Number { get; set; }
    public required string Name { get; set; }
    public DateOnly Start { get; set; }

    /// <summary>Last day of the term, included.</summary>
    public DateOnly End { get; set; }
}
