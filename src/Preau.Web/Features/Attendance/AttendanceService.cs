using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Attendance;
using Preau.Data.Directory;
using Preau.Web.Features.Homework;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Timeline;
using Preau.Web.Features.Timetable;
using Preau.Web.Shared;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Attendance;

internal enum AttendanceOutcome
{
    Ok,

    /// <summary>Not this person's lesson, child or school, or no such row: both answer 404.</summary>
    NotFound,
    Invalid,

    /// <summary>The justification was already decided on, or there is none to decide on.</summary>
    Conflict,
}

/// <summary>A term of a school: counts are given per term.</summary>
internal sealed record TermSpan(string Name, DateOnly Start, DateOnly End);

internal sealed record RegisterPupil(Guid Id, string Name, AttendanceStatus? Status);

internal sealed record RegisterView(LessonOccurrence Lesson, IReadOnlyList<RegisterPupil> Pupils, DateTimeOffset? TakenAt);

/// <summary>One absence or lateness as the school life office, a parent or a pupil reads it.</summary>
internal sealed record MarkRow(
    Guid Id, Guid PupilId, string PupilName, string GroupName, string SubjectName, DateOnly Date, TimeOnly Start, TimeOnly End,
    AttendanceStatus Status, AbsenceReason? Reason, string? Comment, bool HasDocument, JustificationDecision? Decision, string? DecisionComment);

internal sealed record TermCounts(TermSpan Term, int Absences, int Justified, int Unjustified, int Late);

internal sealed record PupilAttendance(Guid PupilId, string PupilName, IReadOnlyList<TermCounts> Terms, IReadOnlyList<MarkRow> Marks);

internal sealed record Justification(AbsenceReason Reason, string? Comment);

internal sealed record DocumentFile(Stream Content, string ContentType, string FileName);

/// <summary>
/// The register and absences, built on the timetable (which teacher has which lesson today) and the
/// relations model (whose child, which school). Present pupils have no row. Parents hear of an absence
/// in their timeline in the same transaction that records it.
/// </summary>
internal sealed class AttendanceService(
    PreauDbContext db, Relations relations, TimetableService timetable, TimelineFeed timeline, FileStore files,
    SchoolTerms terms, IOptions<AttendanceOptions> options, TimeProvider clock)
{
    private const string FilesFolder = "attendance";
    public const int CommentMax = 1000;
    public const int PageSize = 100;

    public DateOnly Today => SchoolDay.Today(clock);

    public FileRules DocumentRules => options.Value.Documents;

    /// <summary>The terms of the current school year as the school configured them (<see cref="SchoolTerms"/>; default:
    /// three trimesters), first to last.</summary>
    public async Task<IReadOnlyList<TermSpan>> TermsAsync(Guid schoolId, CancellationToken ct) =>
        [.. (await terms.ForYearAsync(schoolId, Today, ct)).Select(t => new TermSpan(t.Name, t.Start, t.End))];

    /// <summary>A teacher's lessons today (taught or replaced), not cancelled, with whether the register was taken.</summary>
    public async Task<List<(LessonOccurrence Lesson, bool Taken)>> TodayLessonsAsync(Guid teacherId, CancellationToken ct)
    {
        var today = Today;
        var lessons = (await timetable.OccurrencesAsync([], teacherId, today, today, ct)).Where(l => !l.Cancelled).ToList();
        var ids = lessons.Select(l => l.LessonId).ToList();
        var taken = (await db.AttendanceRegisters.AsNoTracking().Where(r => r.Date == today && ids.Contains(r.LessonId))
            .Select(r => r.LessonId).ToListAsync(ct)).ToHashSet();
        return [.. lessons.Select(l => (l, taken.Contains(l.LessonId)))];
    }

    /// <summary>The lesson only if this teacher has it today (teaches it or replaces on it) and it is not cancelled.</summary>
    private async Task<LessonOccurrence?> OwnLessonTodayAsync(Guid teacherId, Guid lessonId, CancellationToken ct)
    {
        var today = Today;
        return (await timetable.OccurrencesAsync([], teacherId, today, today, ct)).FirstOrDefault(l => l.LessonId == lessonId && !l.Cancelled);
    }

    public async Task<RegisterView?> RegisterAsync(Guid teacherId, Guid lessonId, CancellationToken ct)
    {
        if (await OwnLessonTodayAsync(teacherId, lessonId, ct) is not { } lesson)
        {
            return null;
        }

        var register = await db.AttendanceRegisters.AsNoTracking().Where(r => r.LessonId == lessonId && r.Date == lesson.Date)
            .Select(r => new { r.UpdatedAt, Marks = r.Marks.Select(m => new { m.PupilId, m.Status }).ToList() }).FirstOrDefaultAsync(ct);
        var marks = register?.Marks.ToDictionary(m => m.PupilId, m => m.Status) ?? [];
        var pupils = await PupilsOfAsync(lesson.GroupId, ct);
        return new RegisterView(lesson, [.. pupils.Select(p => new RegisterPupil(p.Id, p.Name, marks.TryGetValue(p.Id, out var s) ? s : null))],
            register?.UpdatedAt);
    }

    private async Task<List<(Guid Id, string Name)>> PupilsOfAsync(Guid groupId, CancellationToken ct) =>
        [.. (await db.GroupMemberships.AsNoTracking().Where(m => m.GroupId == groupId)
            .OrderBy(m => m.Pupil!.LastName).ThenBy(m => m.Pupil!.FirstName).ThenBy(m => m.PupilId)
            .Select(m => new { m.PupilId, m.Pupil!.FirstName, m.Pupil.LastName }).ToListAsync(ct))
            .Select(p => (p.PupilId, $"{p.LastName} {p.FirstName}"))];

    /// <summary>
    /// Saves the register of one of the teacher's lessons today: <paramref name="statuses"/> gives the absent and
    /// late pupils, everyone else of the class is present. May be sent again the same day to correct it; guardians
    /// are told of every pupil whose status became absent or late (not again for an unchanged one).
    /// </summary>
    public async Task<(AttendanceOutcome Outcome, string? Error)> SaveRegisterAsync(
        Guid teacherId, Guid lessonId, IReadOnlyDictionary<Guid, AttendanceStatus> statuses, CancellationToken ct)
    {
        try
        {
            return await SaveRegisterOnceAsync(teacherId, lessonId, statuses, ct);
        }
        catch (DbUpdateException)
        {
            // Two saves of a register not taken yet, at the same instant (a double tap, two devices): the other one
            // created it first and the unique index refused this one. Saved again, it is a correction of that one.
            db.ChangeTracker.Clear();
            return await SaveRegisterOnceAsync(teacherId, lessonId, statuses, ct);
        }
    }

    private async Task<(AttendanceOutcome Outcome, string? Error)> SaveRegisterOnceAsync(
        Guid teacherId, Guid lessonId, IReadOnlyDictionary<Guid, AttendanceStatus> statuses, CancellationToken ct)
    {
        if (await OwnLessonTodayAsync(teacherId, lessonId, ct) is not { } lesson)
        {
            return (AttendanceOutcome.NotFound, null);
        }

        var pupils = await PupilsOfAsync(lesson.GroupId, ct);
        if (statuses.Keys.Any(id => pupils.All(p => p.Id != id)))
        {
            return (AttendanceOutcome.Invalid, "Un des élèves indiqués n'est pas dans cette classe ou ce groupe.");
        }

        var now = clock.GetUtcNow();
        var register = await db.AttendanceRegisters.Include(r => r.Marks).FirstOrDefaultAsync(r => r.LessonId == lessonId && r.Date == lesson.Date, ct);
        if (register is null)
        {
            var schoolId = await db.TimetableLessons.Where(l => l.Id == lessonId).Select(l => l.SchoolId).FirstAsync(ct);
            register = new AttendanceRegister
            {
                SchoolId = schoolId, LessonId = lessonId, Date = lesson.Date, GroupId = lesson.GroupId, TakenById = teacherId, TakenAt = now,
            };
            db.AttendanceRegisters.Add(register);
        }

        register.UpdatedAt = now;
        register.TakenById = teacherId;
        var told = new List<(Guid PupilId, AttendanceStatus Status)>();
        var gone = new List<string>();
        foreach (var (pupilId, _) in pupils)
        {
            var mark = register.Marks.FirstOrDefault(m => m.PupilId == pupilId);
            var wanted = statuses.TryGetValue(pupilId, out var s) ? s : (AttendanceStatus?)null;
            if (wanted is null)
            {
                if (mark is not null)
                {
                    db.AttendanceMarks.Remove(mark);
                    if (mark.DocumentStorageName is { } document)
                    {
                        gone.Add(document);
                    }
                }

                continue;
            }

            if (mark is null)
            {
                register.Marks.Add(new AttendanceMark { PupilId = pupilId, Status = wanted.Value });
                told.Add((pupilId, wanted.Value));
            }
            else if (mark.Status != wanted)
            {
                mark.Status = wanted.Value;
                told.Add((pupilId, wanted.Value));
            }
        }

        await TellGuardiansAsync(told, lesson, ct);
        await db.SaveChangesAsync(ct);
        // A pupil marked absent by mistake and justified at once: the document leaves the disk after the row.
        gone.ForEach(d => files.Delete(FilesFolder, d));
        return (AttendanceOutcome.Ok, null);
    }

    private async Task TellGuardiansAsync(List<(Guid PupilId, AttendanceStatus Status)> told, LessonOccurrence lesson, CancellationToken ct)
    {
        if (told.Count == 0)
        {
            return;
        }

        var ids = told.Select(t => t.PupilId).ToList();
        var links = await db.GuardianLinks.AsNoTracking().Where(l => ids.Contains(l.ChildId))
            .Select(l => new { l.ParentId, l.ChildId, l.Child!.FirstName }).ToListAsync(ct);
        foreach (var (pupilId, status) in told)
        {
            foreach (var link in links.Where(l => l.ChildId == pupilId))
            {
                var what = status == AttendanceStatus.Absent ? "Absence" : "Retard";
                timeline.Add([AudienceToken.Person(link.ParentId)], TimelineKinds.Attendance,
                    $"{what} de {link.FirstName} en {lesson.SubjectName}, {FrenchText.Day(lesson.Date)} à {lesson.Start:HH\\:mm}",
                    $"/absences?eleve={pupilId}");
            }
        }
    }

    /// <summary>A school's absences and lateness of one day, by class, pupil and time (paged).</summary>
    public Task<List<MarkRow>> DayAsync(Guid schoolId, DateOnly date, int page, CancellationToken ct) =>
        Rows(db.AttendanceMarks.Where(m => m.Register!.SchoolId == schoolId && m.Register.Date == date)
            .OrderBy(m => m.Register!.Group!.Name).ThenBy(m => m.Pupil!.LastName).ThenBy(m => m.Pupil!.FirstName)
            .ThenBy(m => m.Register!.Lesson!.Start).ThenBy(m => m.Id)
            .Skip((Math.Max(1, page) - 1) * PageSize).Take(PageSize)).ToListAsync(ct);

    /// <summary>Justifications waiting for a decision in a school, oldest first (paged).</summary>
    public Task<List<MarkRow>> PendingAsync(Guid schoolId, int page, CancellationToken ct) =>
        Rows(db.AttendanceMarks.Where(m => m.Register!.SchoolId == schoolId && m.Decision == JustificationDecision.Pending)
            .OrderBy(m => m.Register!.Date).ThenBy(m => m.Register!.Lesson!.Start).ThenBy(m => m.Id)
            .Skip((Math.Max(1, page) - 1) * PageSize).Take(PageSize)).ToListAsync(ct);

    /// <summary>Sorted and paged by the caller on the entity (a constructor projection cannot be sorted in SQL).</summary>
    private static IQueryable<MarkRow> Rows(IQueryable<AttendanceMark> marks) => marks.AsNoTracking().Select(m => new MarkRow(
        m.Id, m.PupilId, m.Pupil!.LastName + " " + m.Pupil.FirstName, m.Register!.Group!.Name, m.Register.Lesson!.Subject!.Name, m.Register.Date,
        m.Register.Lesson.Start, m.Register.Lesson.End, m.Status, m.Reason, m.Comment, m.DocumentStorageName != null, m.Decision, m.DecisionComment));

    /// <summary>A pupil's absences and lateness of the current school year with counts per term. The caller
    /// has checked the reader may see this pupil (<see cref="CanReadPupilAsync"/>).</summary>
    public async Task<PupilAttendance?> PupilAsync(Guid pupilId, CancellationToken ct)
    {
        var pupil = await db.People.AsNoTracking().Where(p => p.Id == pupilId && p.Profile == Profile.Pupil)
            .Select(p => new { p.FirstName, p.LastName, p.SchoolId }).FirstOrDefaultAsync(ct);
        if (pupil?.SchoolId is not { } schoolId)
        {
            return null;
        }

        var terms = await TermsAsync(schoolId, ct);
        var (from, to) = (terms[0].Start, terms[^1].End);
        // Bounded by the school year: a few dozen rows for a pupil.
        var marks = await Rows(db.AttendanceMarks.Where(m => m.PupilId == pupilId && m.Register!.Date >= from && m.Register.Date <= to)
            .OrderByDescending(m => m.Register!.Date).ThenByDescending(m => m.Register!.Lesson!.Start)).ToListAsync(ct);
        var counts = terms.Select(t =>
        {
            var inTerm = marks.Where(m => m.Date >= t.Start && m.Date <= t.End).ToList();
            var absences = inTerm.Count(m => m.Status == AttendanceStatus.Absent);
            var justified = inTerm.Count(m => m.Status == AttendanceStatus.Absent && m.Decision == JustificationDecision.Accepted);
            return new TermCounts(t, absences, justified, absences - justified, inTerm.Count(m => m.Status == AttendanceStatus.Late));
        }).ToList();
        return new PupilAttendance(pupilId, $"{pupil.FirstName} {pupil.LastName}", counts, marks);
    }

    /// <summary>The pupil themself, their guardian, the school life office and head of their school; never a teacher
    /// (who sees their own registers) nor a region administrator.</summary>
    public async Task<bool> CanReadPupilAsync(Guid readerId, Guid pupilId, CancellationToken ct) =>
        await relations.GetAsync(readerId, ct) is { Profile: Profile.Pupil or Profile.Parent or Profile.Staff or Profile.SchoolAdmin } me
        && await relations.CanSeePupilAsync(me, pupilId, ct);

    /// <summary>One absence of this guardian's child; null for anyone else's (the check is in the WHERE).</summary>
    public Task<MarkRow?> MarkForGuardianAsync(Guid parentId, Guid markId, CancellationToken ct) =>
        Rows(db.AttendanceMarks.Where(m => m.Id == markId && db.GuardianLinks.Any(l => l.ParentId == parentId && l.ChildId == m.PupilId)))
            .FirstOrDefaultAsync(ct);

    public Task<FileSaveResult> SaveDocumentAsync(Stream content, string fileName, CancellationToken ct) =>
        files.SaveAsync(FilesFolder, options.Value.Documents, content, fileName, ct);

    public void DeleteDocument(StoredFile file) => files.Delete(FilesFolder, file.StorageName);

    public static Dictionary<string, string[]> Validate(string? reason, string? comment, out Justification? justification)
    {
        var errors = new Dictionary<string, string[]>();
        justification = null;
        if (AttendanceTexts.ParseReason(reason) is not { } r)
        {
            errors["reason"] = ["Choisissez le motif dans la liste."];
        }
        else if ((comment?.Length ?? 0) > CommentMax)
        {
            errors["comment"] = [$"Le commentaire dépasse {CommentMax} caractères."];
        }
        else
        {
            justification = new Justification(r, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        }

        return errors;
    }

    /// <summary>A guardian justifies their child's absence or lateness; may send it again until it is accepted
    /// (a refused one can be justified anew). The guardian check is in the WHERE.</summary>
    public async Task<AttendanceOutcome> JustifyAsync(Guid parentId, Guid markId, Justification input, StoredFile? document, CancellationToken ct)
    {
        var mark = await db.AttendanceMarks.FirstOrDefaultAsync(m => m.Id == markId
            && db.GuardianLinks.Any(l => l.ParentId == parentId && l.ChildId == m.PupilId), ct);
        if (mark is null)
        {
            return AttendanceOutcome.NotFound;
        }

        if (mark.Decision == JustificationDecision.Accepted)
        {
            return AttendanceOutcome.Conflict;
        }

        var replaced = document is not null ? mark.DocumentStorageName : null;
        mark.Reason = input.Reason;
        mark.Comment = input.Comment;
        mark.JustifiedById = parentId;
        mark.JustifiedAt = clock.GetUtcNow();
        mark.Decision = JustificationDecision.Pending;
        mark.DecisionComment = null;
        mark.DecidedById = null;
        mark.DecidedAt = null;
        if (document is not null)
        {
            mark.DocumentStorageName = document.StorageName;
            mark.DocumentFileName = document.FileName;
            mark.DocumentContentType = document.ContentType;
        }

        await db.SaveChangesAsync(ct);
        if (replaced is not null)
        {
            files.Delete(FilesFolder, replaced);
        }

        return AttendanceOutcome.Ok;
    }

    /// <summary>The school life office or head of the pupil's school accepts or refuses a pending justification
    /// (a refusal says why); the guardians are told in their timeline.</summary>
    public async Task<(AttendanceOutcome Outcome, string? Error)> DecideAsync(
        Guid deciderId, Guid schoolId, Guid markId, bool accept, string? comment, CancellationToken ct)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (!accept && comment is null)
        {
            return (AttendanceOutcome.Invalid, "Indiquez la raison du refus.");
        }

        if (comment?.Length > CommentMax)
        {
            return (AttendanceOutcome.Invalid, $"Le commentaire dépasse {CommentMax} caractères.");
        }

        var mark = await db.AttendanceMarks.Include(m => m.Register).ThenInclude(r => r!.Lesson).ThenInclude(l => l!.Subject)
            .Include(m => m.Pupil).FirstOrDefaultAsync(m => m.Id == markId && m.Register!.SchoolId == schoolId, ct);
        if (mark is null)
        {
            return (AttendanceOutcome.NotFound, null);
        }

        if (mark.Decision != JustificationDecision.Pending)
        {
            return (AttendanceOutcome.Conflict, "Ce justificatif n'attend pas de décision.");
        }

        mark.Decision = accept ? JustificationDecision.Accepted : JustificationDecision.Refused;
        mark.DecisionComment = comment;
        mark.DecidedById = deciderId;
        mark.DecidedAt = clock.GetUtcNow();
        var parents = await db.GuardianLinks.AsNoTracking().Where(l => l.ChildId == mark.PupilId).Select(l => l.ParentId).ToListAsync(ct);
        var what = mark.Status == AttendanceStatus.Absent ? "l'absence" : "le retard";
        timeline.Add(parents.Select(AudienceToken.Person), TimelineKinds.Attendance,
            $"Justificatif {(accept ? "accepté" : "refusé")} pour {what} de {mark.Pupil!.FirstName} en {mark.Register!.Lesson!.Subject!.Name}, {FrenchText.Day(mark.Register.Date)}",
            $"/absences?eleve={mark.PupilId}");
        await db.SaveChangesAsync(ct);
        return (AttendanceOutcome.Ok, null);
    }

    /// <summary>The justification document, for those who may read the pupil's absences.</summary>
    public async Task<DocumentFile?> DocumentAsync(Guid readerId, Guid markId, CancellationToken ct)
    {
        var row = await db.AttendanceMarks.AsNoTracking().Where(m => m.Id == markId && m.DocumentStorageName != null)
            .Select(m => new { m.PupilId, m.DocumentStorageName, m.DocumentContentType, m.DocumentFileName }).FirstOrDefaultAsync(ct);
        if (row is null || !await CanReadPupilAsync(readerId, row.PupilId, ct)
            || files.OpenRead(FilesFolder, row.DocumentStorageName!) is not { } stream)
        {
            return null;
        }

        return new DocumentFile(stream, row.DocumentContentType!, row.DocumentFileName!);
    }
}
