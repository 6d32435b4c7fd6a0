using Preau.Data.Directory;

namespace Preau.Data.Assessment;

public enum AssessmentKind
{
    /// <summary>Marked out of <see cref="AssessmentEntry.OutOf"/>, weighted by <see cref="AssessmentEntry.Coefficient"/>.</summary>
    Marks = 1,

    /// <summary>Each named skill is placed on the four levels of the common core.</summary>
    Skills = 2,
}

/// <summary>What a cell of the grid holds.</summary>
public enum ResultStatus
{
    /// <summary>A mark (<see cref="AssessmentResult.Value"/>) or a skill level (1 to 4).</summary>
    Assessed = 1,
    Absent = 2,

    /// <summary>Dispensé: not counted anywhere.</summary>
    Exempt = 3,
}

/// <summary>A test, written work or oral a teacher assesses for a class or group in a subject they teach there.</summary>
public sealed class AssessmentEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Copied from the group so that the head's queries need no join.</summary>
    public Guid SchoolId { get; set; }
    public Guid GroupId { get; set; }
    public Group? Group { get; set; }
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public Guid TeacherId { get; set; }
    public Person? Teacher { get; set; }

    public required string Title { get; set; }
    public DateOnly Date { get; set; }
    public AssessmentKind Kind { get; set; }

    /// <summary>Marks only: the maximum (20, 10, 40…).</summary>
    public decimal OutOf { get; set; }

    /// <summary>Marks only: the weight in the subject's average.</summary>
    public decimal Coefficient { get; set; }

    /// <summary>When pupils and parents see the results; null while the teacher has not published.</summary>
    public DateTimeOffset? PublishAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public List<AssessmentSkill> Skills { get; set; } = [];
}

/// <summary>A skill assessed by a skills assessment ("Raisonner", "Communiquer"…).</summary>
public sealed class AssessmentSkill
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AssessmentId { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }
}

/// <summary>One cell of the grid: a pupil's mark, or a pupil's level on one skill.</summary>
public sealed class AssessmentResult
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AssessmentId { get; set; }
    public AssessmentEntry? Assessment { get; set; }
    public Guid PupilId { get; set; }

    /// <summary>The skill for a skills assessment; null for a mark.</summary>
    public Guid? SkillId { get; set; }
    public ResultStatus Status { get; set; }

    /// <summary>The mark, or the level 1 (maîtrise insuffisante) to 4 (très bonne maîtrise); null when absent or exempt.</summary>
    public decimal? Value { get; set; }
}
