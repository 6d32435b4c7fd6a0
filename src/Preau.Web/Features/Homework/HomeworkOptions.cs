using System.ComponentModel.DataAnnotations;

namespace Preau.Web.Features.Homework;

/// <summary>Section <c>Homework</c>.</summary>
internal sealed class HomeworkOptions
{
    public const string Section = "Homework";

    /// <summary>Largest attachment accepted, in bytes (default 10 MB).</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, 50)]
    public int MaxAttachmentsPerEntry { get; set; } = 5;

    /// <summary>Longest date range one list request may ask for: the list is bounded by dates, not pages.</summary>
    [Range(1, 366)]
    public int MaxRangeDays { get; set; } = 62;

    /// <summary>Upper bound of class-weeks kept in memory (one class-week is one cache unit).</summary>
    [Range(100, 10_000_000)]
    public int CachedClassWeeks { get; set; } = 50_000;

    /// <summary>Memory for ready-to-send list responses (compressed JSON), in bytes (default 64 MB).</summary>
    [Range(0, 16L * 1024 * 1024 * 1024)]
    public long ResponseCacheBytes { get; set; } = 64L * 1024 * 1024;
}
