using Preau.Data.Directory;

namespace Preau.Data.Timetable;

/// <summary>Which weeks a weekly lesson takes place: every week, or only week A or week B.</summary>
public enum WeekParity
{
    Every = 0,
    A = 1,
    B = 2,
}

/// <summary>A weekly lesson of a class or group.</summary>
public sealed class TimetableLesson
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public Guid GroupId { get; set; }
    public Group? Group { get; set; }
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public Guid TeacherId { get; set; }
    public Person? Teacher { get; set; }
    public string Room { get; set; } = "";
    public DayOfWeek Day { get; set; }
    public TimeOnly Start { get; set; }
    public TimeOnly End { get; set; }
    public WeekParity Weeks { get; set; }

    /// <summary>First and last dates the lesson takes place (a term, a semester); null = open-ended.</summary>
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>Grows at each edit (moved, room or teacher changed): calendar apps update an event
    /// only when its SEQUENCE grows.</summary>
    public int Revision { get; set; }

    /// <summary>Last write, the calendar's DTSTAMP and LAST-MODIFIED (not "now", so that two fetches
    /// without a change give the same bytes).</summary>
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

public enum LessonChangeKind
{
    Cancelled = 1,
    RoomChange = 2,
    Replacement = 3,
}

/// <summary>A one-off change to one occurrence of a weekly lesson.</summary>
public sealed class TimetableChange
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid LessonId { get; set; }
    public TimetableLesson? Lesson { get; set; }
    public DateOnly Date { get; set; }
    public LessonChangeKind Kind { get; set; }
    public string? NewRoom { get; set; }
    public Guid? ReplacementTeacherId { get; set; }
    public Person? ReplacementTeacher { get; set; }
    public string? Note { get; set; }

    /// <summary>1 for the first change of this occurrence, one more each time it is replaced.</summary>
    public int Revision { get; set; } = 1;

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>A personal iCalendar feed. The token is looked up by its hash; it is kept encrypted
/// (ASP.NET Core data protection) only so that its owner can see the address again. Revoking sets
/// <see cref="RevokedAt"/> and the URL answers 404 from then on.</summary>
public sealed class CalendarFeed
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public required string TokenHash { get; set; }

    /// <summary>The token, encrypted; null for addresses created before it was kept.</summary>
    public string? ProtectedToken { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
