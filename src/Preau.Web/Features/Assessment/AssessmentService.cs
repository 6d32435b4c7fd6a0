using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Assessment;
using Preau.Data.Directory;
using Preau.Web.Features.Homework;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Assessment;

internal enum AssessmentOutcome
{
    Ok,
    NotFound,
    Forbidden,
    Invalid,
}

/// <summary>What a teacher types to create an assessment; <see cref="Kind"/> is "notes" or "competences".</summary>
internal sealed record AssessmentInput(
    Guid GroupId, Guid SubjectId, string? Title, DateOnly? Date, string? Kind, decimal? OutOf, decimal? Coefficient, IReadOnlyList<string>? Skills);

internal sealed record SkillView(Guid Id, string Name);

internal sealed record AssessmentView(
    Guid Id, Guid SchoolId, Guid GroupId, string GroupName, Guid SubjectId, string SubjectName, Guid TeacherId, string Title, DateOnly Date,
    AssessmentKind Kind, decimal OutOf, decimal Coefficient, DateTimeOffset? PublishAt, IReadOnlyList<SkillView> Skills)
{
    public bool IsPublishedAt(DateTimeOffset now) => PublishAt is { } at && at <= now;
}

/// <summary>One typed cell: the pupil, the skill for a skills assessment, the text as typed.</summary>
internal sealed record CellInput(Guid PupilId, Guid? SkillId, string? Text);

internal sealed record GridRow(Guid PupilId, string Name, IReadOnlyList<string> Cells);

/// <summary>The whole class's grid: one column for a mark, one per skill.</summary>
internal sealed record Grid(AssessmentView Assessment, IReadOnlyList<SkillView?> Columns, IReadOnlyList<GridRow> Rows);

/// <summary>One assessment on a pupil's results page, with the class's figures for marks.</summary>
internal sealed record ResultLine(
    Guid AssessmentId, string Title, DateOnly Date, AssessmentKind Kind, decimal OutOf, decimal Coefficient, string Result,
    decimal? Mark, ResultStatus? Status, decimal? ClassAverage, decimal? Minimum, decimal? Maximum, IReadOnlyList<SkillLevel> Skills);

internal sealed record SkillLevel(string Skill, string Level);

internal sealed record SubjectResults(Guid SubjectId, string SubjectName, decimal? Average, IReadOnlyList<ResultLine> Lines);

internal sealed record PupilResults(Guid PupilId, IReadOnlyList<Term> Terms, Term Term, IReadOnlyList<SubjectResults> Subjects, decimal? Overall);

/// <summary>A column of a class table: an assessment, or one skill of a skills assessment.</summary>
internal sealed record TableColumn(Guid AssessmentId, Guid? SkillId, Guid SubjectId, string SubjectName, string Label, AssessmentKind Kind, bool Published);

internal sealed record SubjectRef(Guid Id, string Name);

internal sealed record TableRow(Guid PupilId, string Name, IReadOnlyList<string> Cells, IReadOnlyList<decimal?> SubjectAverages);

internal sealed record ClassTable(
    Guid GroupId, string GroupName, IReadOnlyList<Term> Terms, Term Term, IReadOnlyList<SubjectRef> Subjects,
    IReadOnlyList<TableColumn> Columns, IReadOnlyList<TableRow> Rows);

/// <summary>
/// Assessments, their grids and who reads what. Teachers write only assessments of a class and subject
/// they teach now (checked in the database) and only their own (in the WHERE); pupils and parents read
/// only published results, staff and head their school's classes, a teacher the subjects they teach there.
/// </summary>
internal sealed class AssessmentService(PreauDbContext db, Relations relations, SchoolTerms terms, TimeProvider clock)
{
    public const int MaxSkills = 12;

    public DateTimeOffset Now => clock.GetUtcNow();

    public DateOnly Today => SchoolDay.Today(clock);

    public static Dictionary<string, string[]> Validate(AssessmentInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Title) || input.Title.Trim().Length > 200)
        {
            errors["title"] = ["Donnez un titre (200 caractères au plus)."];
        }

        if (input.Date is not { } date || !SchoolDay.IsSupported(date))
        {
            errors["date"] = ["Indiquez la date de l'évaluation."];
        }

        switch (input.Kind)
        {
            case "notes":
                if (input.OutOf is not (> 0 and <= 200) || decimal.Round(input.OutOf.Value, 2) != input.OutOf)
                {
                    errors["outOf"] = ["La note maximale doit être comprise entre 1 et 200 (par exemple 20)."];
                }

                if (input.Coefficient is not (> 0 and <= 100) || decimal.Round(input.Coefficient.Value, 2) != input.Coefficient)
                {
                    errors["coefficient"] = ["Le coefficient doit être compris entre 0,01 et 100 (par exemple 1 ou 0,5)."];
                }

                break;
            case "competences":
                var skills = SkillNames(input.Skills);
                if (skills.Count == 0 || skills.Count > MaxSkills || skills.Any(s => s.Length > 100))
                {
                    errors["skills"] = [$"Nommez de 1 à {MaxSkills} compétences, une par ligne (100 caractères au plus chacune)."];
                }

                break;
            default:
                errors["kind"] = ["Choisissez une évaluation notée ou par compétences."];
                break;
        }

        return errors;
    }

    private static List<string> SkillNames(IReadOnlyList<string>? skills) =>
        [.. (skills ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];

    public async Task<(AssessmentOutcome Outcome, Guid Id, Dictionary<string, string[]>? Errors)> CreateAsync(Guid teacherId, AssessmentInput input, CancellationToken ct)
    {
        if (!await relations.TeachesNowAsync(teacherId, input.GroupId, input.SubjectId, ct))
        {
            return (AssessmentOutcome.Forbidden, Guid.Empty, null);
        }

        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return (AssessmentOutcome.Invalid, Guid.Empty, errors);
        }

        var schoolId = await db.Groups.AsNoTracking().Where(g => g.Id == input.GroupId).Select(g => g.SchoolId).FirstAsync(ct);
        var marks = input.Kind == "notes";
        var entry = new AssessmentEntry
        {
            SchoolId = schoolId,
            GroupId = input.GroupId,
            SubjectId = input.SubjectId,
            TeacherId = teacherId,
            Title = input.Title!.Trim(),
            Date = input.Date!.Value,
            Kind = marks ? AssessmentKind.Marks : AssessmentKind.Skills,
            OutOf = marks ? input.OutOf!.Value : 0,
            Coefficient = marks ? input.Coefficient!.Value : 0,
            CreatedAt = Now,
        };
        if (!marks)
        {
            entry.Skills = [.. SkillNames(input.Skills).Select((name, i) => new AssessmentSkill { Name = name, Position = i })];
        }

        db.Assessments.Add(entry);
        await db.SaveChangesAsync(ct);
        return (AssessmentOutcome.Ok, entry.Id, null);
    }

    /// <summary>The class and subject pairs a teacher teaches, for the creation form.</summary>
    public async Task<List<(Guid GroupId, Guid SubjectId, string Label)>> TeachingAsync(Guid teacherId, CancellationToken ct) =>
        [.. (await db.TeachingAssignments.AsNoTracking().Where(t => t.TeacherId == teacherId)
            .OrderBy(t => t.Group!.Name).ThenBy(t => t.Subject!.Name)
            .Select(t => new { t.GroupId, t.SubjectId, Group = t.Group!.Name, Subject = t.Subject!.Name }).ToListAsync(ct))
            .Select(t => (t.GroupId, t.SubjectId, $"{t.Group} · {t.Subject}"))];

    private static IQueryable<AssessmentView> Views(IQueryable<AssessmentEntry> source) => source.Select(a => new AssessmentView(
        a.Id, a.SchoolId, a.GroupId, a.Group!.Name, a.SubjectId, a.Subject!.Name, a.TeacherId, a.Title, a.Date, a.Kind, a.OutOf, a.Coefficient,
        a.PublishAt, a.Skills.OrderBy(s => s.Position).Select(s => new SkillView(s.Id, s.Name)).ToList()));

    /// <summary>An assessment this person may see in full (its grid): a teacher of its class and subject,
    /// the staff and head of its school. Null for anyone else, and for unknown ones alike.</summary>
    public async Task<AssessmentView?> GetVisibleAsync(PersonRelations who, Guid id, CancellationToken ct)
    {
        var view = await Views(db.Assessments.AsNoTracking().Where(a => a.Id == id)).FirstOrDefaultAsync(ct);
        return view is not null && CanSeeClassSubject(who, view.SchoolId, view.GroupId, view.SubjectId) ? view : null;
    }

    private static bool CanSeeClassSubject(PersonRelations who, Guid schoolId, Guid groupId, Guid subjectId) =>
        who.Teaches(groupId, subjectId) || (who.IsSchoolStaff && who.SchoolId == schoolId);

    /// <summary>A teacher's own assessments of a term, newest first; staff and head get their school's.</summary>
    public async Task<List<AssessmentView>> ListAsync(PersonRelations who, Term term, Guid? groupId, CancellationToken ct)
    {
        var query = db.Assessments.AsNoTracking().Where(a => a.Date >= term.Start && a.Date <= term.End);
        if (who.Profile == Profile.Teacher)
        {
            var taught = who.TaughtGroups.ToList();
            query = query.Where(a => taught.Contains(a.GroupId));
        }
        else if (who.IsSchoolStaff && who.SchoolId is { } school)
        {
            query = query.Where(a => a.SchoolId == school);
        }
        else
        {
            return [];
        }

        if (groupId is { } g)
        {
            query = query.Where(a => a.GroupId == g);
        }

        var views = await Views(query.OrderByDescending(a => a.Date).ThenByDescending(a => a.CreatedAt).Take(500)).ToListAsync(ct);
        return who.Profile == Profile.Teacher ? [.. views.Where(v => who.Teaches(v.GroupId, v.SubjectId))] : views;
    }

    /// <summary>The skills of a skills assessment, in order (for scripts that fill its grid).</summary>
    public Task<List<Guid>> SkillIdsAsync(Guid assessmentId, CancellationToken ct) =>
        db.AssessmentSkills.AsNoTracking().Where(s => s.AssessmentId == assessmentId).OrderBy(s => s.Position).Select(s => s.Id).ToListAsync(ct);

    /// <summary>The pupils of a class or group, by name.</summary>
    private async Task<List<(Guid Id, string Name)>> PupilsAsync(Guid groupId, CancellationToken ct) =>
        [.. (await db.GroupMemberships.AsNoTracking().Where(m => m.GroupId == groupId)
            .OrderBy(m => m.Pupil!.LastName).ThenBy(m => m.Pupil!.FirstName).ThenBy(m => m.PupilId)
            .Select(m => new { m.PupilId, m.Pupil!.FirstName, m.Pupil.LastName }).ToListAsync(ct))
            .Select(p => (p.PupilId, $"{p.LastName} {p.FirstName}"))];

    public async Task<Grid> GridAsync(AssessmentView assessment, CancellationToken ct)
    {
        var pupils = await PupilsAsync(assessment.GroupId, ct);
        var stored = await db.AssessmentResults.AsNoTracking().Where(r => r.AssessmentId == assessment.Id)
            .Select(r => new { r.PupilId, r.SkillId, r.Status, r.Value }).ToListAsync(ct);
        var cells = stored.ToDictionary(r => AssessmentCells.Key(r.PupilId, r.SkillId), r => AssessmentCells.Format(r.Status, r.Value));
        var columns = ColumnsOf(assessment);
        return new Grid(assessment, columns, [.. pupils.Select(p => new GridRow(p.Id, p.Name,
            [.. columns.Select(c => cells.GetValueOrDefault(AssessmentCells.Key(p.Id, c?.Id)) ?? "")]))]);
    }

    private static List<SkillView?> ColumnsOf(AssessmentView a) => a.Kind == AssessmentKind.Skills ? [.. a.Skills] : [null];

    /// <summary>The grid as typed, for a page that must show it back with its errors.</summary>
    public static Grid Retyped(Grid grid, IReadOnlyDictionary<string, string?> typed) =>
        grid with
        {
            Rows = [.. grid.Rows.Select(r => r with { Cells = [.. grid.Columns.Select(c => typed.GetValueOrDefault(AssessmentCells.Key(r.PupilId, c?.Id)) ?? "")] })],
        };

    /// <summary>
    /// Writes the whole class's grid in one transaction: every current pupil's cells are replaced by
    /// the ones sent (an empty cell clears it). Only the assessment's teacher, while they still teach
    /// the class and subject. Any bad cell refuses the whole grid, with one French message per cell.
    /// <paramref name="publishAt"/> changes the publication when it has a value (null inside: unpublish).
    /// </summary>
    public async Task<(AssessmentOutcome Outcome, Dictionary<string, string[]>? Errors)> SaveGridAsync(
        Guid teacherId, Guid id, IReadOnlyList<CellInput> cells, Optional<DateTimeOffset?> publishAt, CancellationToken ct)
    {
        var assessment = await db.Assessments.AsNoTracking().Where(a => a.Id == id && a.TeacherId == teacherId)
            .Select(a => new { a.GroupId, a.SubjectId, a.Kind, a.OutOf, Skills = a.Skills.Select(s => s.Id).ToList() }).FirstOrDefaultAsync(ct);
        if (assessment is null || !await relations.TeachesNowAsync(teacherId, assessment.GroupId, assessment.SubjectId, ct))
        {
            return (AssessmentOutcome.NotFound, null);
        }

        var pupils = (await db.GroupMemberships.AsNoTracking().Where(m => m.GroupId == assessment.GroupId).Select(m => m.PupilId).ToListAsync(ct)).ToHashSet();
        var skills = assessment.Skills.ToHashSet();
        var errors = new Dictionary<string, string[]>();
        var rows = new Dictionary<string, AssessmentResult>();
        foreach (var cell in cells)
        {
            var key = AssessmentCells.Key(cell.PupilId, cell.SkillId);
            var skillOk = assessment.Kind == AssessmentKind.Skills ? cell.SkillId is { } s && skills.Contains(s) : cell.SkillId is null;
            if (!pupils.Contains(cell.PupilId) || !skillOk)
            {
                errors[key] = ["Cette case ne correspond à aucun élève (ou compétence) de l'évaluation."];
                continue;
            }

            var value = AssessmentCells.Parse(cell.Text, assessment.Kind, assessment.OutOf, out var error);
            if (error is not null)
            {
                errors[key] = [error];
            }
            else if (value is { } v)
            {
                rows[key] = new AssessmentResult { AssessmentId = id, PupilId = cell.PupilId, SkillId = cell.SkillId, Status = v.Status, Value = v.Value };
            }
        }

        if (errors.Count > 0)
        {
            return (AssessmentOutcome.Invalid, errors);
        }

        var sentPupils = cells.Select(c => c.PupilId).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.AssessmentResults.Where(r => r.AssessmentId == id && sentPupils.Contains(r.PupilId)).ExecuteDeleteAsync(ct);
        db.AssessmentResults.AddRange(rows.Values);
        await db.SaveChangesAsync(ct);
        if (publishAt.HasValue)
        {
            var at = publishAt.Value;
            await db.Assessments.Where(a => a.Id == id && a.TeacherId == teacherId).ExecuteUpdateAsync(u => u.SetProperty(a => a.PublishAt, at), ct);
        }

        await transaction.CommitAsync(ct);
        return (AssessmentOutcome.Ok, null);
    }

    /// <summary>Publishes (or unpublishes with null) an assessment: its teacher only.</summary>
    public async Task<AssessmentOutcome> PublishAsync(Guid teacherId, Guid id, DateTimeOffset? at, CancellationToken ct) =>
        await db.Assessments.Where(a => a.Id == id && a.TeacherId == teacherId).ExecuteUpdateAsync(u => u.SetProperty(a => a.PublishAt, at), ct) == 1
            ? AssessmentOutcome.Ok : AssessmentOutcome.NotFound;

    /// <summary>A pupil's published results of a term, with the class's average, minimum and maximum for
    /// each mark, the subject averages (coefficients, marks on 20) and the overall average.</summary>
    public async Task<PupilResults> PupilResultsAsync(Guid pupilId, Guid schoolId, IReadOnlySet<Guid> groups, int? termNumber, CancellationToken ct)
    {
        var year = await terms.ForYearAsync(schoolId, Today, ct);
        var term = year.FirstOrDefault(t => t.Number == termNumber) ?? SchoolTerms.TermOf(year, Today);
        var now = Now;
        var groupIds = groups.ToList();
        var published = await Views(db.Assessments.AsNoTracking()
            .Where(a => groupIds.Contains(a.GroupId) && a.PublishAt != null && a.PublishAt <= now && a.Date >= term.Start && a.Date <= term.End))
            .ToListAsync(ct);
        var ids = published.Select(a => a.Id).ToList();
        // Every assessed mark of these assessments: a class is 30 pupils, so the figures are computed here
        // (SQLite cannot aggregate decimals).
        var results = await db.AssessmentResults.AsNoTracking().Where(r => ids.Contains(r.AssessmentId))
            .Where(r => r.PupilId == pupilId || (r.SkillId == null && r.Status == ResultStatus.Assessed))
            .Select(r => new { r.AssessmentId, r.PupilId, r.SkillId, r.Status, r.Value }).ToListAsync(ct);
        var mine = results.Where(r => r.PupilId == pupilId).ToList();
        var marks = results.Where(r => r.SkillId == null && r.Status == ResultStatus.Assessed && r.Value != null).ToLookup(r => r.AssessmentId, r => r.Value!.Value);

        var subjects = new List<SubjectResults>();
        foreach (var subject in published.GroupBy(a => (a.SubjectId, a.SubjectName)).OrderBy(s => s.Key.SubjectName, StringComparer.Create(SchoolDay.French, false)))
        {
            var lines = new List<ResultLine>();
            var counted = new List<CountedMark>();
            foreach (var a in subject.OrderBy(a => a.Date).ThenBy(a => a.Title, StringComparer.Ordinal))
            {
                var own = mine.Where(r => r.AssessmentId == a.Id).ToList();
                if (a.Kind == AssessmentKind.Marks)
                {
                    var cell = own.FirstOrDefault(r => r.SkillId == null);
                    var all = marks[a.Id].ToList();
                    if (cell is { Status: ResultStatus.Assessed, Value: { } m })
                    {
                        counted.Add(new CountedMark(m, a.OutOf, a.Coefficient));
                    }

                    lines.Add(new ResultLine(a.Id, a.Title, a.Date, a.Kind, a.OutOf, a.Coefficient,
                        cell is null ? "Non noté" : AssessmentCells.Describe(a.Kind, cell.Status, cell.Value, a.OutOf),
                        cell?.Value, cell?.Status,
                        all.Count == 0 ? null : Math.Round(all.Average(), 2, MidpointRounding.AwayFromZero),
                        all.Count == 0 ? null : all.Min(), all.Count == 0 ? null : all.Max(), []));
                }
                else
                {
                    var levels = a.Skills.Select(s => own.FirstOrDefault(r => r.SkillId == s.Id) is { } r
                        ? new SkillLevel(s.Name, AssessmentCells.Describe(a.Kind, r.Status, r.Value, 0)) : new SkillLevel(s.Name, "Non évalué")).ToList();
                    lines.Add(new ResultLine(a.Id, a.Title, a.Date, a.Kind, 0, 0, "", null, null, null, null, null, levels));
                }
            }

            subjects.Add(new SubjectResults(subject.Key.SubjectId, subject.Key.SubjectName, Averages.OnTwenty(counted), lines));
        }

        return new PupilResults(pupilId, year, term, subjects, Averages.Overall(subjects.Select(s => s.Average)));
    }

    /// <summary>
    /// A class's table for a term: one row per pupil, one column per assessment (per skill for skills),
    /// and the subject averages. A teacher sees the subjects they teach in this class, staff and head
    /// every subject of their school's classes; null for anyone else.
    /// </summary>
    public async Task<ClassTable?> ClassTableAsync(PersonRelations who, Guid groupId, int? termNumber, CancellationToken ct)
    {
        var group = await db.Groups.AsNoTracking().Where(g => g.Id == groupId).Select(g => new { g.SchoolId, g.Name }).FirstOrDefaultAsync(ct);
        if (group is null || !(who.TaughtGroups.Contains(groupId) || (who.IsSchoolStaff && who.SchoolId == group.SchoolId)) || who.Profile is Profile.Pupil or Profile.Parent)
        {
            return null;
        }

        var year = await terms.ForYearAsync(group.SchoolId, Today, ct);
        var term = year.FirstOrDefault(t => t.Number == termNumber) ?? SchoolTerms.TermOf(year, Today);
        var all = await Views(db.Assessments.AsNoTracking().Where(a => a.GroupId == groupId && a.Date >= term.Start && a.Date <= term.End)).ToListAsync(ct);
        var visible = all.Where(a => who.IsSchoolStaff || who.Teaches(groupId, a.SubjectId))
            .OrderBy(a => a.SubjectName, StringComparer.Create(SchoolDay.French, false)).ThenBy(a => a.Date).ThenBy(a => a.Title, StringComparer.Ordinal).ToList();
        var ids = visible.Select(a => a.Id).ToList();
        var results = (await db.AssessmentResults.AsNoTracking().Where(r => ids.Contains(r.AssessmentId))
            .Select(r => new { r.AssessmentId, r.PupilId, r.SkillId, r.Status, r.Value }).ToListAsync(ct))
            .ToDictionary(r => (r.AssessmentId, r.PupilId, r.SkillId));
        var now = Now;
        var columns = visible.SelectMany(a => ColumnsOf(a).Select(s => new TableColumn(a.Id, s?.Id, a.SubjectId, a.SubjectName,
            s is null ? $"{a.Title} (/{Shared.FrenchText.Decimal(a.OutOf)}, coef. {Shared.FrenchText.Decimal(a.Coefficient)})" : $"{a.Title} · {s.Name}",
            a.Kind, a.IsPublishedAt(now)))).ToList();
        var subjects = visible.Select(a => (a.SubjectId, a.SubjectName)).Distinct().ToList();
        var byId = visible.ToDictionary(a => a.Id);
        var pupils = await PupilsAsync(groupId, ct);
        var rows = pupils.Select(p => new TableRow(p.Id, p.Name,
            [.. columns.Select(c => results.TryGetValue((c.AssessmentId, p.Id, c.SkillId), out var r) ? AssessmentCells.Short(c.Kind, r.Status, r.Value) : "")],
            [.. subjects.Select(s => Averages.OnTwenty(visible.Where(a => a.SubjectId == s.SubjectId && a.Kind == AssessmentKind.Marks)
                .Select(a => results.TryGetValue((a.Id, p.Id, null), out var r) && r.Status == ResultStatus.Assessed && r.Value is { } m
                    ? new CountedMark(m, byId[a.Id].OutOf, a.Coefficient) : (CountedMark?)null)
                .OfType<CountedMark>()))])).ToList();
        return new ClassTable(groupId, group.Name, year, term, [.. subjects.Select(s => new SubjectRef(s.SubjectId, s.SubjectName))], columns, rows);
    }

    /// <summary>The classes and groups whose tables this person may open, by name.</summary>
    public async Task<List<(Guid Id, string Name)>> TableGroupsAsync(PersonRelations who, CancellationToken ct)
    {
        IQueryable<Group> query;
        if (who.Profile == Profile.Teacher)
        {
            var taught = who.TaughtGroups.ToList();
            query = db.Groups.Where(g => taught.Contains(g.Id));
        }
        else if (who.IsSchoolStaff && who.SchoolId is { } school)
        {
            query = db.Groups.Where(g => g.SchoolId == school);
        }
        else
        {
            return [];
        }

        return [.. (await query.AsNoTracking().OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(ct)).Select(g => (g.Id, g.Name))];
    }
}

/// <summary>A value that may be absent, distinct from a present null ("unpublish").</summary>
internal readonly record struct Optional<T>(bool HasValue, T Value)
{
    public static Optional<T> None => default;

    public static Optional<T> Some(T value) => new(true, value);
}
