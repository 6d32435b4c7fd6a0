using Preau.Data.Directory;
using Preau.Data.Timetable;

namespace Preau.Data.Attendance;

public enum AttendanceStatus
{
    Absent = 1,
    Late = 2,
}

/// <summary>Why a parent says their child was away (the list offered on the justification form).</summary>
public enum AbsenceReason
{
    Illness = 1,
    Medical = 2,
    Family = 3,
    Transport = 4,
    Other = 5,
}

public enum JustificationDecision
{
    /// <summary>Sent by a parent, not yet looked at by the school life office.</summary>
    Pending = 1,
    Accepted = 2,
    Refused = 3,
}

/// <summary>
/// The register of one lesson on one date: who took it and when. Pupils present have no row; only
/// absences and lateness are written (<see cref="AttendanceMark"/>), so a register of 30 present
/// pupils is one row.
/// </summary>
public sealed class AttendanceRegister
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Copied from the lesson so that the school life office's day is one index range.</summary>
    public Guid SchoolId { get; set; }
    public Guid LessonId { get; set; }
    public TimetableLesson? Lesson { get; set; }
    public DateOnly Date { get; set; }
    public Guid GroupId { get; set; }
    public Group? Group { get; set; }

    /// <summary>The teacher who took it (the replacement teacher on a replaced lesson).</summary>
    public Guid TakenById { get; set; }
    public Person? TakenBy { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<AttendanceMark> Marks { get; set; } = [];
}

/// <summary>A pupil absent or late at one lesson, and the parent's justification with the school's decision.</summary>
public sealed class AttendanceMark
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RegisterId { get; set; }
    public AttendanceRegister? Register { get; set; }
    public Guid PupilId { get; set; }
    public Person? Pupil { get; set; }
    public AttendanceStatus Status { get; set; }

    public AbsenceReason? Reason { get; set; }
    public string? Comment { get; set; }
    public Guid? JustifiedById { get; set; }
    public DateTimeOffset? JustifiedAt { get; set; }

    /// <summary>Optional supporting document, in the file store under a random name.</summary>
    public string? DocumentStorageName { get; set; }
    public string? DocumentFileName { get; set; }
    public string? DocumentContentType { get; set; }

    public JustificationDecision? Decision { get; set; }
    public string? DecisionComment { get; set; }
    public Guid? DecidedById { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}
