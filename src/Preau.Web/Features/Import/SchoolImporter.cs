using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Import;

/// <summary>
/// Brings one school's directory in from its own exports. The files are read whole first (a refused
/// file stops everything), then compared with the database: pupils are matched on their national
/// identifier (INE), then on the export's own identifier, then on name and birth date, so a new
/// export moves pupils between classes without duplicating anyone. A dry run stops there and
/// reports; otherwise every change is written in one transaction.
/// </summary>
internal sealed class SchoolImporter(PreauDbContext db, TimeProvider clock, IOptions<ImportOptions> options, RelationsCache relations)
{
    private const int Batch = 2000;

    /// <summary>Parses every given file, or throws <see cref="ImportRefusedException"/> with the reason.</summary>
    public static SchoolExport Parse(ImportSources sources, string uai)
    {
        var export = new SchoolExport();
        if (sources.Pupils is { } pupils)
        {
            SiecleReader.ReadPupils(pupils, uai, export);
        }

        if (sources.Guardians is { } guardians)
        {
            SiecleReader.ReadGuardians(guardians, uai, export);
        }

        if (sources.Staff is { } staff)
        {
            SiecleReader.ReadStaff(staff, uai, export);
        }

        if (sources.Csv is { } csv)
        {
            CsvDirectoryReader.Read(csv, uai, export);
        }

        return export;
    }

    public async Task<ImportReport> ImportAsync(Guid schoolId, ImportSources sources, bool dryRun, CancellationToken ct = default)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId)
            .Select(s => new { s.Id, s.Uai, s.RegionId }).SingleOrDefaultAsync(ct);
        if (school is null)
        {
            return ImportReport.RefusedWith("Établissement inconnu.", dryRun);
        }

        if (sources.IsEmpty)
        {
            return ImportReport.RefusedWith("Aucun fichier à importer.", dryRun);
        }

        SchoolExport export;
        try
        {
            export = Parse(sources, school.Uai);
        }
        catch (ImportRefusedException e)
        {
            return ImportReport.RefusedWith(e.Message, dryRun);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = dryRun ? null : await db.Database.BeginTransactionAsync(ct);
            var state = await SchoolState.LoadAsync(db, school.Id, school.RegionId, ct);
            var plan = new ImportPlan(export, state, school.Id, school.RegionId, school.Uai, clock.GetUtcNow(), options.Value.ActivationDays);
            plan.Build();
            plan.Report.DryRun = dryRun;
            if (!dryRun)
            {
                await plan.WriteAsync(db, ct);
                await transaction!.CommitAsync(ct);
                // People moved between classes, left or arrived: nobody keeps a cached view of their old ties.
                relations.Clear();
            }

            return plan.Report;
        });
    }

    internal static IEnumerable<List<T>> Chunks<T>(IReadOnlyList<T> items, int size = Batch)
    {
        for (var start = 0; start < items.Count; start += size)
        {
            yield return items.Skip(start).Take(size).ToList();
        }
    }
}

internal sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>How long the one-time activation codes of imported accounts stay valid.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 730)]
    public int ActivationDays { get; set; } = 90;
}

/// <summary>A person of the school as the database knows them, with their import identifiers if any.</summary>
internal sealed record KnownPerson(Guid Id, Profile Profile, string FirstName, string LastName, string? ExternalId, string? NationalId,
    DateOnly? BirthDate, DateTimeOffset? DeactivatedAt, bool HasRecord);

/// <summary>The school's directory, read once with a handful of queries.</summary>
internal sealed class SchoolState
{
    public required Dictionary<string, Group> Groups { get; init; }
    public required Dictionary<string, Subject> Subjects { get; init; }
    public required List<KnownPerson> People { get; init; }
    public required List<KnownPerson> Parents { get; init; }
    public required Dictionary<Guid, HashSet<Guid>> Memberships { get; init; }
    public required HashSet<(Guid Parent, Guid Child)> Guardians { get; init; }
    public required HashSet<(Guid Teacher, Guid Group, Guid Subject)> Assignments { get; init; }
    /// <summary>Every login of the database: new ones must not collide with any.</summary>
    public required HashSet<string> Logins { get; init; }

    public static async Task<SchoolState> LoadAsync(PreauDbContext db, Guid schoolId, Guid regionId, CancellationToken ct)
    {
        var groups = await db.Groups.AsNoTracking().Where(g => g.SchoolId == schoolId).ToListAsync(ct);
        var subjects = await db.Subjects.AsNoTracking().Where(s => s.RegionId == regionId).ToListAsync(ct);
        var people = await (
            from p in db.People.AsNoTracking().Where(p => p.SchoolId == schoolId)
            join r in db.ImportedPeople.AsNoTracking() on p.Id equals r.PersonId into records
            from r in records.DefaultIfEmpty()
            select new KnownPerson(p.Id, p.Profile, p.FirstName, p.LastName, r == null ? null : r.ExternalId, r == null ? null : r.NationalId,
                r == null ? null : r.BirthDate, r == null ? null : r.DeactivatedAt, r != null)).ToListAsync(ct);
        // Parents have no school: those this school's exports brought in, and those of its pupils.
        var linked = db.GuardianLinks.Where(l => l.Child!.SchoolId == schoolId).Select(l => l.ParentId);
        var imported = db.ImportedPeople.Where(r => r.SchoolId == schoolId).Select(r => r.PersonId);
        var parents = await (
            from p in db.People.AsNoTracking().Where(p => p.Profile == Profile.Parent && (linked.Contains(p.Id) || imported.Contains(p.Id)))
            join r in db.ImportedPeople.AsNoTracking().Where(r => r.SchoolId == schoolId) on p.Id equals r.PersonId into records
            from r in records.DefaultIfEmpty()
            select new KnownPerson(p.Id, p.Profile, p.FirstName, p.LastName, r == null ? null : r.ExternalId, null, null, null, r != null))
            .ToListAsync(ct);
        var memberships = await db.GroupMemberships.AsNoTracking().Where(m => m.Group!.SchoolId == schoolId)
            .Select(m => new { m.PupilId, m.GroupId }).ToListAsync(ct);
        var guardians = await db.GuardianLinks.AsNoTracking().Where(l => l.Child!.SchoolId == schoolId)
            .Select(l => new { l.ParentId, l.ChildId }).ToListAsync(ct);
        var assignments = await db.TeachingAssignments.AsNoTracking().Where(t => t.Group!.SchoolId == schoolId)
            .Select(t => new { t.TeacherId, t.GroupId, t.SubjectId }).ToListAsync(ct);
        return new SchoolState
        {
            Groups = groups.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase),
            Subjects = subjects.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase),
            People = people,
            Parents = parents,
            Memberships = memberships.GroupBy(m => m.PupilId).ToDictionary(g => g.Key, g => g.Select(m => m.GroupId).ToHashSet()),
            Guardians = guardians.Select(l => (l.ParentId, l.ChildId)).ToHashSet(),
            Assignments = assignments.Select(a => (a.TeacherId, a.GroupId, a.SubjectId)).ToHashSet(),
            Logins = (await db.Accounts.AsNoTracking().Select(a => a.Login).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal),
        };
    }
}
