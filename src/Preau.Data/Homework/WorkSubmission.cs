using Preau.Data.Directory;

namespace Preau.Data.Homework;

/// <summary>
/// One pupil's hand-in for a homework entry (one row per pupil and entry, replaced until the deadline),
/// and the teacher's return on it: a comment, an optional mark out of N and a corrected file.
/// </summary>
public sealed class WorkSubmission
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EntryId { get; set; }
    public HomeworkEntry? Entry { get; set; }
    public Guid PupilId { get; set; }
    public Person? Pupil { get; set; }

    /// <summary>Copied from the entry so that a school's quota and purge need no join.</summary>
    public Guid SchoolId { get; set; }

    public string Text { get; set; } = "";
    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>Decided by the server clock when the work was (last) handed in.</summary>
    public bool Late { get; set; }

    public DateTimeOffset? ReturnedAt { get; set; }
    public Guid? ReturnedById { get; set; }
    public string? ReturnComment { get; set; }
    public decimal? Mark { get; set; }
    public int? MarkOutOf { get; set; }

    public List<WorkFile> Files { get; set; } = [];
}

/// <summary>A file of a hand-in: the pupil's own work, or the teacher's corrected copy.</summary>
public sealed class WorkFile
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SubmissionId { get; set; }
    public WorkSubmission? Submission { get; set; }

    /// <summary>True for the teacher's corrected file; it does not count in the pupil's quota.</summary>
    public bool IsCorrection { get; set; }

    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public required string StorageName { get; set; }
}
