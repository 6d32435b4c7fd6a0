using Preau.Data.Directory;

namespace Preau.Data.Timeline;

/// <summary>One line of the timeline, written once per audience, never once per person.</summary>
public sealed class TimelineEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public AudienceKind AudienceKind { get; set; }
    public Guid TargetId { get; set; }

    /// <summary>Only for <see cref="AudienceKind.SchoolProfile"/>.</summary>
    public Profile? Profile { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public required string Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>When a person last looked at their timeline: everything newer is "nouveau".</summary>
public sealed class TimelineWatermark
{
    public Guid PersonId { get; set; }
    public DateTimeOffset SeenAt { get; set; }
}
