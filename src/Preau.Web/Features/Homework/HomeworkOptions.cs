using System.ComponentModel.DataAnnotations;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework;

/// <summary>Section <c>Homework</c>.</summary>
internal sealed class HomeworkOptions
{
    public const string Section = "Homework";

    /// <summary>Attachment size limit and accepted types (section <c>Homework:Files</c> in appsettings.json).</summary>
    public FileRules Files { get; set; } = new() { Extensions = ".pdf .png .jpg .jpeg .gif .odt .ods .odp .docx .xlsx .pptx .zip .txt .md .csv" };

    /// <summary>What pupils hand in (section <c>Homework:HandInFiles</c>): size and types per file, and
    /// <c>QuotaBytes</c>, the space one pupil's hand-ins may take in all (default 100 MB).</summary>
    public FileRules HandInFiles { get; set; } = new()
    {
        Extensions = ".pdf .png .jpg .jpeg .gif .odt .ods .odp .docx .xlsx .pptx .zip .txt .md .csv",
        QuotaBytes = 100L * 1024 * 1024,
    };

    [Range(1, 50)]
    public int MaxFilesPerHandIn { get; set; } = 10;

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
