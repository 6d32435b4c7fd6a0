using Preau.Data.Directory;

namespace Preau.Data.Homework;

public enum HomeworkKind
{
    /// <summary>What was done in a session (cahier de textes, "contenu de la séance").</summary>
    Lesson = 1,

    /// <summary>Work to do for a due date.</summary>
    Homework = 2,
}

/// <summary>One line of a class's homework notebook, written by a teacher for a class or group and a subject.</summary>
public sealed class HomeworkEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Copied from the group so that a school administrator's list needs no join.</summary>
    public Guid SchoolId { get; set; }
    public Guid GroupId { get; set; }
    public Group? Group { get; set; }
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public Guid AuthorId { get; set; }
    public Person? Author { get; set; }

    public HomeworkKind Kind { get; set; }
    public required string Title { get; set; }

    /// <summary>Markdown as the teacher typed it; rendered and sanitised when shown.</summary>
    public string Body { get; set; } = "";

    /// <summary>The due date of homework, or the date of the session for lesson content.</summary>
    public DateOnly Date { get; set; }
    public int? EstimatedMinutes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>What pupils hand in for this entry; <see cref="HandInMode.None"/> when nothing is collected.</summary>
    public HandInMode HandIn { get; set; }

    /// <summary>The deadline of a hand-in (an instant; pages show it in Europe/Paris).</summary>
    public DateTimeOffset? HandInDueAt { get; set; }

    /// <summary>Whether a pupil may still hand in (marked late) after <see cref="HandInDueAt"/>.</summary>
    public bool HandInLateAllowed { get; set; }

    public List<HomeworkAttachment> Attachments { get; set; } = [];
}

/// <summary>What a homework entry asks pupils to hand in.</summary>
[Flags]
public enum HandInMode
{
    None = 0,
    Text = 1,
    Files = 2,
    TextAndFiles = Text | Files,
}

/// <summary>A file attached to an entry. The file lives under the data directory with a random
/// name (<see cref="StorageName"/>); the original name is only ever shown, never used on disk.</summary>
public sealed class HomeworkAttachment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EntryId { get; set; }
    public HomeworkEntry? Entry { get; set; }
    public required string FileName { get; set; }

    /// <summary>Decided from the file's first bytes, never from what the browser declared.</summary>
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public required string StorageName { get; set; }
}

/// <summary>A pupil ticked an entry as done.</summary>
public sealed class HomeworkDone
{
    public Guid EntryId { get; set; }
    public HomeworkEntry? Entry { get; set; }
    public Guid PupilId { get; set; }
    public Person? Pupil { get; set; }
    public DateTimeOffset DoneAt { get; set; }
}
