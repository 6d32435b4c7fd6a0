using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.Data.Import;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Seed;

namespace Preau.Web.Features.Import;

/// <summary>
/// The comparison of one school's export with its directory: what to create, update, move and
/// deactivate, counted in <see cref="Report"/>, then written by <see cref="WriteAsync"/>.
/// </summary>
internal sealed class ImportPlan(SchoolExport export, SchoolState state, Guid schoolId, Guid regionId, string uai, DateTimeOffset now,
    int activationDays)
{
    private readonly List<Group> _newGroups = [];
    private readonly List<Subject> _newSubjects = [];
    private readonly List<Person> _newPeople = [];
    private readonly List<ImportedPerson> _records = [];
    private readonly HashSet<Guid> _recordIsNew = [];
    private readonly List<Account> _newAccounts = [];
    private readonly List<(Guid Id, string FirstName, string LastName)> _renamed = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _newMemberships = [];
    private readonly List<Guid> _deactivated = [];
    private readonly List<(Guid PersonId, string Code, string ClassName)> _reactivated = [];
    private readonly List<(Guid Parent, Guid Child)> _linksAdded = [];
    private readonly List<(Guid Parent, Guid Child)> _linksRemoved = [];
    private readonly List<(Guid Teacher, Guid Group, Guid Subject)> _assignmentsAdded = [];
    private readonly List<(Guid Teacher, Guid Group, Guid Subject)> _assignmentsRemoved = [];
    private readonly Dictionary<string, Guid> _pupilIds = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, string> _classOf = [];
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    public ImportReport Report { get; } = new();

    private DateOnly Today => DateOnly.FromDateTime(now.UtcDateTime);

    public void Build()
    {
        foreach (var error in export.Errors)
        {
            Report.Errors.Add(new ImportReportError(error.Record, error.Message));
        }

        PlanGroupsAndSubjects();
        PlanPupils();
        var teachers = PlanStaff();
        PlanGuardians();
        PlanAssignments(teachers);
    }

    private void PlanGroupsAndSubjects()
    {
        foreach (var group in export.Groups.Values.Where(g => !state.Groups.ContainsKey(g.Code)))
        {
            if (group.Code.Length > 100)
            {
                Report.Errors.Add(new ImportReportError($"groupe {group.Code[..20]}…", "Code de classe ou de groupe trop long : ignoré."));
                continue;
            }

            var created = new Group
            {
                SchoolId = schoolId, Name = group.Code, Kind = group.Kind, Level = group.Kind == GroupKind.Class ? SchoolExport.LevelOf(group.Code) : "",
            };
            state.Groups[group.Code] = created;
            _newGroups.Add(created);
        }

        foreach (var subject in export.Subjects.Values.DistinctBy(s => s.Code, StringComparer.OrdinalIgnoreCase)
            .Where(s => !state.Subjects.ContainsKey(s.Code)))
        {
            var created = new Subject { RegionId = regionId, Code = subject.Code, Name = subject.Name.Length > 100 ? subject.Name[..100] : subject.Name };
            state.Subjects[subject.Code] = created;
            _newSubjects.Add(created);
        }

        Report.GroupsCreated = _newGroups.Count;
        Report.SubjectsCreated = _newSubjects.Count;
    }

    private static string NameKey(string lastName, string firstName) => $"{Slug(lastName)}|{Slug(firstName)}";

    /// <summary>The seed's slug, with the ligatures Unicode does not decompose spelled out: "CŒUR" → "coeur".</summary>
    internal static string Slug(string name) => RegionGenerator.Slug(name
        .Replace("Œ", "OE", StringComparison.Ordinal).Replace("œ", "oe", StringComparison.Ordinal)
        .Replace("Æ", "AE", StringComparison.Ordinal).Replace("æ", "ae", StringComparison.Ordinal));

    private void PlanPupils()
    {
        if (!export.HasPupils)
        {
            return;
        }

        var known = state.People.Where(p => p.Profile == Profile.Pupil).ToList();
        var byNational = known.Where(p => p.NationalId is not null).GroupBy(p => p.NationalId!).ToDictionary(g => g.Key, g => g.First());
        var byExternal = known.Where(p => p.ExternalId is not null).GroupBy(p => p.ExternalId!).ToDictionary(g => g.Key, g => g.First());
        var byName = known.ToLookup(p => NameKey(p.LastName, p.FirstName));
        var matched = new HashSet<Guid>();

        KnownPerson? Match(ExportPupil pupil)
        {
            if (pupil.NationalId is not null && byNational.TryGetValue(pupil.NationalId, out var n) && !matched.Contains(n.Id))
            {
                return n;
            }

            if (byExternal.TryGetValue(pupil.ExternalId, out var e) && !matched.Contains(e.Id))
            {
                return e;
            }

            // Same name and birth date; a pupil known without a birth date (created before any import)
            // matches on the name alone, only when that name is not shared.
            var candidates = byName[NameKey(pupil.LastName, pupil.FirstName)].Where(p => !matched.Contains(p.Id)).ToList();
            return candidates.FirstOrDefault(p => p.BirthDate is not null && p.BirthDate == pupil.BirthDate)
                ?? (candidates.Count(p => p.BirthDate is null) == 1 && candidates.Count == 1 ? candidates[0] : null);
        }

        foreach (var pupil in export.Pupils)
        {
            var existing = Match(pupil);
            if (existing is not null)
            {
                matched.Add(existing.Id);
            }

            if (pupil.LeftOn is { } left && left <= Today)
            {
                if (existing is { DeactivatedAt: null })
                {
                    Deactivate(existing);
                }
                else
                {
                    Report.Unchanged++;
                }

                continue;
            }

            var desired = DesiredGroups(pupil);
            if (existing is null)
            {
                var person = NewPerson(Profile.Pupil, pupil.FirstName, pupil.LastName, schoolId);
                AddRecord(person.Id, pupil.ExternalId, pupil.NationalId, pupil.BirthDate, isNew: true);
                _newMemberships[person.Id] = desired;
                _pupilIds[pupil.ExternalId] = person.Id;
                _classOf[person.Id] = pupil.ClassCode ?? "";
                NewAccount(person, pupil.ClassCode ?? "");
                Report.Created++;
                continue;
            }

            _pupilIds[pupil.ExternalId] = existing.Id;
            _classOf[existing.Id] = pupil.ClassCode ?? "";
            var current = state.Memberships.GetValueOrDefault(existing.Id) ?? [];
            var renamed = Rename(existing, pupil.FirstName, pupil.LastName);
            var recordChanged = !existing.HasRecord || existing.ExternalId != pupil.ExternalId
                || (pupil.NationalId is not null && existing.NationalId != pupil.NationalId)
                || (pupil.BirthDate is not null && existing.BirthDate != pupil.BirthDate) || existing.DeactivatedAt is not null;
            if (recordChanged)
            {
                AddRecord(existing.Id, pupil.ExternalId, pupil.NationalId ?? existing.NationalId, pupil.BirthDate ?? existing.BirthDate,
                    isNew: !existing.HasRecord);
            }

            if (!current.SetEquals(desired))
            {
                _newMemberships[existing.Id] = desired;
            }

            if (existing.DeactivatedAt is not null)
            {
                // Back at the school: a new code, since leaving removed every way to sign in.
                _reactivated.Add((existing.Id, ActivationCodes.Generate(), pupil.ClassCode ?? ""));
                Report.Updated++;
            }
            else if (ClassOf(current) != ClassOf(desired))
            {
                Report.Moved++;
            }
            else if (renamed || recordChanged || !current.SetEquals(desired))
            {
                Report.Updated++;
            }
            else
            {
                Report.Unchanged++;
            }
        }

        // The export is the school's whole roll: whoever is not in it has left.
        foreach (var gone in known.Where(p => p.DeactivatedAt is null && !matched.Contains(p.Id)))
        {
            Deactivate(gone);
        }
    }

    private Guid? ClassOf(HashSet<Guid> groups) =>
        state.Groups.Values.Where(g => g.Kind == GroupKind.Class && groups.Contains(g.Id)).Select(g => (Guid?)g.Id).FirstOrDefault();

    private HashSet<Guid> DesiredGroups(ExportPupil pupil)
    {
        var codes = pupil.ClassCode is null ? pupil.GroupCodes : [pupil.ClassCode, .. pupil.GroupCodes];
        return codes.Where(state.Groups.ContainsKey).Select(c => state.Groups[c].Id).ToHashSet();
    }

    private void Deactivate(KnownPerson person)
    {
        _deactivated.Add(person.Id);
        AddRecord(person.Id, person.ExternalId, person.NationalId, person.BirthDate, isNew: !person.HasRecord);
        _records[^1].DeactivatedAt = now;
        Report.Deactivated++;
    }

    private Dictionary<string, Guid> PlanStaff()
    {
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        if (export.Staff.Count == 0)
        {
            return ids;
        }

        var known = state.People.Where(p => p.Profile is Profile.Teacher or Profile.Staff or Profile.SchoolAdmin).ToList();
        var byExternal = known.Where(p => p.ExternalId is not null).GroupBy(p => p.ExternalId!).ToDictionary(g => g.Key, g => g.First());
        var byName = known.ToLookup(p => NameKey(p.LastName, p.FirstName));
        var matched = new HashSet<Guid>();
        foreach (var staff in export.Staff)
        {
            var existing = byExternal.GetValueOrDefault(staff.ExternalId) is { } e && !matched.Contains(e.Id)
                ? e
                : byName[NameKey(staff.LastName, staff.FirstName)].FirstOrDefault(p => !matched.Contains(p.Id) && p.ExternalId is null);
            if (existing is null)
            {
                var person = NewPerson(staff.Profile, staff.FirstName, staff.LastName, schoolId);
                AddRecord(person.Id, staff.ExternalId, null, null, isNew: true);
                NewAccount(person, "");
                ids[staff.ExternalId] = person.Id;
                Report.Created++;
                continue;
            }

            matched.Add(existing.Id);
            ids[staff.ExternalId] = existing.Id;
            var renamed = Rename(existing, staff.FirstName, staff.LastName);
            var recordChanged = existing.ExternalId != staff.ExternalId;
            if (recordChanged)
            {
                AddRecord(existing.Id, staff.ExternalId, null, null, isNew: !existing.HasRecord);
            }

            if (renamed || recordChanged)
            {
                Report.Updated++;
            }
            else
            {
                Report.Unchanged++;
            }
        }

        return ids;
    }

    private void PlanGuardians()
    {
        if (!export.HasGuardians)
        {
            return;
        }

        var byExternal = state.Parents.Where(p => p.ExternalId is not null).GroupBy(p => p.ExternalId!).ToDictionary(g => g.Key, g => g.First());
        var parentsById = state.Parents.ToDictionary(p => p.Id);
        var desired = new HashSet<(Guid Parent, Guid Child)>();
        var seen = new HashSet<Guid>();
        foreach (var guardian in export.Guardians)
        {
            var children = guardian.ChildExternalIds.Where(_pupilIds.ContainsKey).Select(c => _pupilIds[c]).Distinct().ToList();
            if (children.Count == 0)
            {
                // Guardian of pupils who left, or of no pupil in the files: nothing to give them access to.
                if (guardian.ChildExternalIds.All(c => export.Pupils.All(p => p.ExternalId != c)) && export.HasPupils)
                {
                    Report.Errors.Add(new ImportReportError(guardian.Record, "Aucun de ses enfants n'est dans le fichier des élèves : responsable ignoré."));
                }

                continue;
            }

            var existing = byExternal.GetValueOrDefault(guardian.ExternalId) is { } e && !seen.Contains(e.Id)
                ? e
                : state.Guardians.Where(l => children.Contains(l.Child) && parentsById.ContainsKey(l.Parent) && !seen.Contains(l.Parent))
                    .Select(l => parentsById[l.Parent])
                    .FirstOrDefault(p => NameKey(p.LastName, p.FirstName) == NameKey(guardian.LastName, guardian.FirstName));
            Guid parentId;
            var linksChanged = children.Any(c => !state.Guardians.Contains((existing?.Id ?? Guid.Empty, c)));
            if (existing is null)
            {
                var person = NewPerson(Profile.Parent, guardian.FirstName, guardian.LastName, null);
                AddRecord(person.Id, guardian.ExternalId, null, null, isNew: true);
                NewAccount(person, _classOf.GetValueOrDefault(children[0]) ?? "");
                parentId = person.Id;
                Report.Created++;
            }
            else
            {
                parentId = existing.Id;
                var renamed = Rename(existing, guardian.FirstName, guardian.LastName);
                var recordChanged = existing.ExternalId != guardian.ExternalId;
                if (recordChanged)
                {
                    AddRecord(existing.Id, guardian.ExternalId, null, null, isNew: !existing.HasRecord);
                }

                if (renamed || recordChanged || linksChanged)
                {
                    Report.Updated++;
                }
                else
                {
                    Report.Unchanged++;
                }
            }

            seen.Add(parentId);
            children.ForEach(c => desired.Add((parentId, c)));
        }

        // Links of the pupils this export covers: the file says who their guardians are now.
        var covered = _pupilIds.Values.ToHashSet();
        _linksRemoved.AddRange(state.Guardians.Where(l => covered.Contains(l.Child) && !desired.Contains(l)));
        _linksAdded.AddRange(desired.Where(l => !state.Guardians.Contains(l)));
    }

    private void PlanAssignments(Dictionary<string, Guid> teachers)
    {
        if (!export.HasStaff)
        {
            return;
        }

        var desired = new HashSet<(Guid Teacher, Guid Group, Guid Subject)>();
        foreach (var service in export.Services)
        {
            if (!teachers.TryGetValue(service.TeacherExternalId, out var teacher))
            {
                Report.Errors.Add(new ImportReportError($"service {service.GroupCode} {service.SubjectCode}",
                    "Enseignant absent de la liste des personnels : service ignoré."));
                continue;
            }

            if (state.Groups.TryGetValue(service.GroupCode, out var group) && state.Subjects.TryGetValue(service.SubjectCode, out var subject))
            {
                desired.Add((teacher, group.Id, subject.Id));
            }
        }

        _assignmentsRemoved.AddRange(state.Assignments.Where(a => !desired.Contains(a)));
        _assignmentsAdded.AddRange(desired.Where(a => !state.Assignments.Contains(a)));
        Report.AssignmentsAdded = _assignmentsAdded.Count;
        Report.AssignmentsRemoved = _assignmentsRemoved.Count;
    }

    private bool Rename(KnownPerson person, string firstName, string lastName)
    {
        if (person.FirstName == firstName && person.LastName == lastName)
        {
            return false;
        }

        _renamed.Add((person.Id, Clip(firstName), Clip(lastName)));
        return true;
    }

    private static string Clip(string name) => name.Length > 100 ? name[..100] : name;

    private Person NewPerson(Profile profile, string firstName, string lastName, Guid? school)
    {
        var person = new Person { RegionId = regionId, SchoolId = school, Profile = profile, FirstName = Clip(firstName), LastName = Clip(lastName) };
        _newPeople.Add(person);
        return person;
    }

    private void AddRecord(Guid personId, string? externalId, string? nationalId, DateOnly? birthDate, bool isNew)
    {
        _records.Add(new ImportedPerson
        {
            PersonId = personId, SchoolId = schoolId, ExternalId = externalId, NationalId = nationalId is { Length: > 16 } ? nationalId[..16] : nationalId,
            BirthDate = birthDate,
        });
        if (isNew)
        {
            _recordIsNew.Add(personId);
        }
    }

    private void NewAccount(Person person, string className)
    {
        var login = NewLogin(person.FirstName, person.LastName);
        var code = ActivationCodes.Generate();
        _newAccounts.Add(new Account
        {
            PersonId = person.Id, Login = login, CreatedAt = now, ActivationCodeHash = ActivationCodes.Hash(code),
            ActivationExpiresAt = now.AddDays(activationDays),
        });
        Report.NewAccounts.Add(new AccountLine(login, code, person.Profile, uai, className));
    }

    /// <summary>"prenom.nom", then "prenom.nom2"…: the seed's convention, unique across the database.</summary>
    private string NewLogin(string firstName, string lastName)
    {
        var stem = $"{Slug(firstName)}.{Slug(lastName)}";
        stem = stem.Length > 90 ? stem[..90] : stem;
        if (state.Logins.Add(stem))
        {
            return stem;
        }

        var n = _nextSuffix.GetValueOrDefault(stem, 2);
        while (!state.Logins.Add(stem + n.ToString(CultureInfo.InvariantCulture)))
        {
            n++;
        }

        _nextSuffix[stem] = n + 1;
        return stem + n.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Parents before children (foreign keys), in batches with change tracking cleared,
    /// inside the caller's transaction.</summary>
    public async Task WriteAsync(PreauDbContext db, CancellationToken ct)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await InsertAsync(db, _newSubjects, ct);
            await InsertAsync(db, _newGroups, ct);
            await InsertAsync(db, _newPeople, ct);
            await InsertAsync(db, _newAccounts, ct);
            await InsertAsync(db, _records.Where(r => _recordIsNew.Contains(r.PersonId)).DistinctBy(r => r.PersonId).ToList(), ct);
            await UpdateRecordsAsync(db, ct);
            await RenameAsync(db, ct);

            // Memberships: replaced whole for each pupil whose groups changed; removed for those who left.
            var replaced = _newMemberships.Keys.Concat(_deactivated).Distinct().ToList();
            var schoolGroups = db.Groups.Where(g => g.SchoolId == schoolId).Select(g => g.Id);
            foreach (var chunk in SchoolImporter.Chunks(replaced))
            {
                await db.GroupMemberships.Where(m => chunk.Contains(m.PupilId) && schoolGroups.Contains(m.GroupId)).ExecuteDeleteAsync(ct);
            }

            await InsertAsync(db, _newMemberships.SelectMany(p => p.Value.Select(g => new GroupMembership { PupilId = p.Key, GroupId = g })).ToList(), ct);
            await DeactivateAccountsAsync(db, ct);
            await ReactivateAccountsAsync(db, ct);

            foreach (var (parent, child) in _linksRemoved)
            {
                await db.GuardianLinks.Where(l => l.ParentId == parent && l.ChildId == child).ExecuteDeleteAsync(ct);
            }

            await InsertAsync(db, _linksAdded.Select(l => new GuardianLink { ParentId = l.Parent, ChildId = l.Child }).ToList(), ct);
            foreach (var (teacher, group, subject) in _assignmentsRemoved)
            {
                await db.TeachingAssignments.Where(t => t.TeacherId == teacher && t.GroupId == group && t.SubjectId == subject).ExecuteDeleteAsync(ct);
            }

            await InsertAsync(db, _assignmentsAdded.Select(a => new TeachingAssignment { TeacherId = a.Teacher, GroupId = a.Group, SubjectId = a.Subject })
                .ToList(), ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private async Task UpdateRecordsAsync(PreauDbContext db, CancellationToken ct)
    {
        // The last word for each person wins (a pupil deactivated after being matched, for instance).
        var updates = _records.Where(r => !_recordIsNew.Contains(r.PersonId)).GroupBy(r => r.PersonId).Select(g => g.Last()).ToList();
        foreach (var r in updates)
        {
            await db.ImportedPeople.Where(x => x.PersonId == r.PersonId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.ExternalId, r.ExternalId).SetProperty(x => x.NationalId, r.NationalId)
                .SetProperty(x => x.BirthDate, r.BirthDate).SetProperty(x => x.DeactivatedAt, r.DeactivatedAt), ct);
        }

        // New records that were later deactivated in the same plan are inserted with their last state above.
        foreach (var r in _records.Where(r => _recordIsNew.Contains(r.PersonId)).GroupBy(r => r.PersonId).Where(g => g.Count() > 1).Select(g => g.Last()))
        {
            await db.ImportedPeople.Where(x => x.PersonId == r.PersonId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.ExternalId, r.ExternalId).SetProperty(x => x.DeactivatedAt, r.DeactivatedAt), ct);
        }
    }

    private async Task RenameAsync(PreauDbContext db, CancellationToken ct)
    {
        foreach (var (id, firstName, lastName) in _renamed)
        {
            await db.People.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.FirstName, firstName).SetProperty(p => p.LastName, lastName), ct);
        }
    }

    private async Task DeactivateAccountsAsync(PreauDbContext db, CancellationToken ct)
    {
        // No way left to sign in, and open sessions end at their next stamp check.
        foreach (var chunk in SchoolImporter.Chunks(_deactivated))
        {
            var stamp = Guid.NewGuid().ToString("N");
            await db.Accounts.Where(a => chunk.Contains(a.PersonId)).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.PasswordHash, (string?)null).SetProperty(a => a.ActivationCodeHash, (string?)null)
                .SetProperty(a => a.ActivationExpiresAt, (DateTimeOffset?)null).SetProperty(a => a.SecurityStamp, stamp), ct);
        }
    }

    private async Task ReactivateAccountsAsync(PreauDbContext db, CancellationToken ct)
    {
        var expires = now.AddDays(activationDays);
        foreach (var (personId, code, className) in _reactivated)
        {
            var hash = ActivationCodes.Hash(code);
            await db.Accounts.Where(a => a.PersonId == personId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.ActivationCodeHash, hash).SetProperty(a => a.ActivationExpiresAt, expires), ct);
            var login = await db.Accounts.Where(a => a.PersonId == personId).Select(a => a.Login).FirstOrDefaultAsync(ct);
            if (login is not null)
            {
                Report.NewAccounts.Add(new AccountLine(login, code, Profile.Pupil, uai, className));
            }
        }
    }

    private static async Task InsertAsync<T>(PreauDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        foreach (var chunk in SchoolImporter.Chunks(rows))
        {
            db.Set<T>().AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }
}
