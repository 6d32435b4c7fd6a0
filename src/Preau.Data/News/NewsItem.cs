using Preau.Data.Directory;

namespace Preau.Data.News;

/// <summary>A school or class announcement.</summary>
public sealed class NewsItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public Guid AuthorId { get; set; }
    public required string Title { get; set; }
    public required string BodyHtml { get; set; }
    public required string AudienceLabel { get; set; }
    public bool ReceiptRequired { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Shown from this moment (the creation time when not given).</summary>
    public DateTimeOffset VisibleFrom { get; set; }
    public DateTimeOffset? VisibleUntil { get; set; }
    public List<NewsAudience> Audiences { get; set; } = [];
}

/// <summary>News audiences are resolved on read: a school has a few hundred news items a
/// year, so matching them against a reader's handful of audience keys is cheap.</summary>
/// <remarks>Its own key: two school-wide audiences of one news item ("Tous les élèves" and
/// "Tous les parents") share NewsId, Kind and TargetId and differ only by Profile.</remarks>
public sealed class NewsAudience
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid NewsId { get; set; }
    public AudienceKind Kind { get; set; }
    public Guid TargetId { get; set; }
    public Profile? Profile { get; set; }
}

/// <summary>Someone opened a news item (kept for every reader, shown where a receipt is required).</summary>
public sealed class NewsReceipt
{
    public Guid NewsId { get; set; }
    public Guid PersonId { get; set; }
    public DateTimeOffset ReadAt { get; set; }
}
