using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Messaging;

/// <summary>An audience the sender may pick, with the label people read.</summary>
internal sealed record AudienceChoice(string Token, string Label, string Kind);

/// <summary>An audience checked against the rules and expanded to the people it reaches.</summary>
internal sealed record ResolvedAudience(AudienceToken Token, string Label, IReadOnlyList<Guid> PersonIds);

/// <summary>
/// The database side of the communication rules: takes the relations the pure
/// <see cref="CommunicationRules"/> need from <see cref="Relations"/>, lists what the picker may offer, and checks and expands
/// the audiences of a send. Picker and send both go through here, so both obey the same rules.
/// </summary>
internal sealed class CommunicationDirectory(PreauDbContext db, Relations relations)
{
    /// <summary>Bounds the candidates the picker filters in memory; people narrow with a search.</summary>
    public const int MaxCandidates = 3000;

    /// <summary>The sender's or a recipient's ties, from the one relations service.</summary>
    public Task<PersonRelations?> LoadAsync(Guid id, CancellationToken ct) => relations.GetAsync(id, ct);

    public async Task<Func<Guid, CommunicationRuleSet>> RulesAsync(IEnumerable<Guid> schoolIds, CancellationToken ct)
    {
        var ids = schoolIds.Distinct().ToList();
        var rows = await db.CommunicationRules.AsNoTracking().Where(r => ids.Contains(r.SchoolId)).ToListAsync(ct);
        var bySchool = rows.ToDictionary(r => r.SchoolId, CommunicationRuleSet.From);
        return school => bySchool.GetValueOrDefault(school) ?? CommunicationRuleSet.Defaults;
    }

    /// <summary>What the picker offers: whole-class and whole-school audiences first, then people
    /// whose name matches <paramref name="search"/>, each one allowed by the rules.</summary>
    public async Task<(List<AudienceChoice> Groups, List<AudienceChoice> People, int PeopleTotal)> ChoicesAsync(
        PersonRelations sender, string? search, int skip, int take, CancellationToken ct)
    {
        var groups = await AudienceChoicesAsync(sender, ct);
        var (people, total) = await PeopleChoicesAsync(sender, search, skip, take, ct);
        return (groups, people, total);
    }

    /// <summary>The whole-class and whole-school audiences the sender may address.</summary>
    public async Task<List<AudienceChoice>> AudienceChoicesAsync(PersonRelations sender, CancellationToken ct)
    {
        var regionWide = sender.Profile == Profile.RegionAdmin;
        var schools = sender.Schools.ToList();
        var schoolRows = await db.Schools.AsNoTracking()
            .Where(s => s.RegionId == sender.RegionId && (regionWide || schools.Contains(s.Id)))
            .OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.RegionId }).ToListAsync(ct);
        var schoolIds = schoolRows.Select(s => s.Id).ToList();
        var rulesOf = await RulesAsync(schoolIds, ct);

        var groups = new List<AudienceChoice>();
        foreach (var school in schoolRows.Where(s => CommunicationRules.MayAddressSchoolProfile(sender, s.Id, s.RegionId, rulesOf)))
        {
            foreach (var (profile, label) in SchoolProfileLabels)
            {
                groups.Add(new AudienceChoice(new AudienceToken(AudienceKind.SchoolProfile, school.Id, profile).ToString(), $"{label} ({school.Name})", "school"));
            }
        }

        if (sender.Profile is Profile.Teacher or Profile.Staff or Profile.SchoolAdmin or Profile.RegionAdmin)
        {
            var groupRows = await db.Groups.AsNoTracking().Where(g => schoolIds.Contains(g.SchoolId))
                .OrderBy(g => g.Name).Select(g => new { g.Id, g.Name, g.SchoolId }).ToListAsync(ct);
            foreach (var g in groupRows.Where(g => CommunicationRules.MayAddressGroup(sender, new GroupTarget(g.Id, g.SchoolId, sender.RegionId), rulesOf)))
            {
                groups.Add(new AudienceChoice(new AudienceToken(AudienceKind.GroupPupils, g.Id).ToString(), $"Élèves de {g.Name}", "group"));
                groups.Add(new AudienceChoice(new AudienceToken(AudienceKind.GroupParents, g.Id).ToString(), $"Parents de {g.Name}", "group"));
            }
        }

        return groups;
    }

    /// <summary>People the sender may write to, matching the search, one page of them.</summary>
    public async Task<(List<AudienceChoice> People, int Total)> PeopleChoicesAsync(
        PersonRelations sender, string? search, int skip, int take, CancellationToken ct)
    {
        var regionWide = sender.Profile == Profile.RegionAdmin;
        var schools = sender.Schools.ToList();
        var term = (search ?? "").Trim().ToLowerInvariant();
        if (regionWide && term.Length < 2)
        {
            // A whole region is too many names to list: region staff search by name.
            return ([], 0);
        }

        var candidates = db.People.AsNoTracking().Where(p => p.RegionId == sender.RegionId && p.Id != sender.Id);
        if (!regionWide)
        {
            candidates = candidates.Where(p => p.Profile == Profile.RegionAdmin
                || (p.SchoolId != null && schools.Contains(p.SchoolId.Value))
                || (p.Profile == Profile.Parent && db.GuardianLinks.Any(l => l.ParentId == p.Id
                    && db.People.Any(c => c.Id == l.ChildId && c.SchoolId != null && schools.Contains(c.SchoolId.Value)))));
        }

        if (term.Length > 0)
        {
            // ToLower().Contains is what EF translates to lower(..) LIKE on both SQLite and PostgreSQL;
            // the StringComparison overload has no SQL translation.
#pragma warning disable CA1862
            candidates = candidates.Where(p => p.LastName.ToLower().Contains(term) || p.FirstName.ToLower().Contains(term));
#pragma warning restore CA1862
        }

        var rows = await candidates.OrderBy(p => p.LastName).ThenBy(p => p.FirstName).ThenBy(p => p.Id)
            .Take(MaxCandidates).Select(p => new { p.Id, p.FirstName, p.LastName, p.Profile }).ToListAsync(ct);
        var ties = await relations.GetManyAsync(rows.Select(r => r.Id).ToList(), ct);
        var moreRules = await RulesAsync(ties.Values.Where(r => r.SchoolId != null).Select(r => r.SchoolId!.Value), ct);
        var allowed = rows.Where(r => ties.ContainsKey(r.Id) && CommunicationRules.MayWriteTo(sender, ties[r.Id], moreRules)).ToList();
        var page = allowed.Skip(skip).Take(take)
            .Select(r => new AudienceChoice(AudienceToken.Person(r.Id).ToString(), $"{r.FirstName} {r.LastName} ({ProfileLabel(r.Profile)})", "person"))
            .ToList();
        return (page, allowed.Count);
    }

    /// <summary>Checks every audience against the rules and expands it to people. Returns the
    /// tokens refused, so a forged request is refused as a whole rather than half-sent.</summary>
    public async Task<(List<ResolvedAudience> Allowed, List<AudienceToken> Refused)> ResolveAsync(
        PersonRelations sender, IReadOnlyCollection<AudienceToken> tokens, CancellationToken ct)
    {
        var personIds = tokens.Where(t => t.Kind == AudienceKind.Person).Select(t => t.TargetId).ToList();
        var groupIds = tokens.Where(t => t.Kind is AudienceKind.GroupPupils or AudienceKind.GroupParents).Select(t => t.TargetId).ToList();
        var schoolIds = tokens.Where(t => t.Kind == AudienceKind.SchoolProfile).Select(t => t.TargetId).ToList();

        var people = await relations.GetManyAsync(personIds, ct);
        var names = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.FirstName + " " + p.LastName, ct);
        var groups = await db.Groups.AsNoTracking().Where(g => groupIds.Contains(g.Id))
            .Select(g => new { g.Id, g.Name, g.SchoolId, g.School!.RegionId }).ToDictionaryAsync(g => g.Id, ct);
        var schools = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Name, s.RegionId }).ToDictionaryAsync(s => s.Id, ct);
        var rulesOf = await RulesAsync(people.Values.Where(p => p.SchoolId != null).Select(p => p.SchoolId!.Value)
            .Concat(groups.Values.Select(g => g.SchoolId)).Concat(schoolIds), ct);

        var allowed = new List<ResolvedAudience>();
        var refused = new List<AudienceToken>();
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case AudienceKind.Person when people.TryGetValue(token.TargetId, out var person) && CommunicationRules.MayWriteTo(sender, person, rulesOf):
                    allowed.Add(new ResolvedAudience(token, names[person.Id], [person.Id]));
                    break;
                case AudienceKind.GroupPupils or AudienceKind.GroupParents when groups.TryGetValue(token.TargetId, out var g)
                        && CommunicationRules.MayAddressGroup(sender, new GroupTarget(g.Id, g.SchoolId, g.RegionId), rulesOf):
                    var pupils = db.GroupMemberships.Where(m => m.GroupId == g.Id).Select(m => m.PupilId);
                    var ids = token.Kind == AudienceKind.GroupPupils
                        ? await pupils.ToListAsync(ct)
                        : await db.GuardianLinks.Where(l => pupils.Contains(l.ChildId)).Select(l => l.ParentId).Distinct().ToListAsync(ct);
                    allowed.Add(new ResolvedAudience(token, (token.Kind == AudienceKind.GroupPupils ? "Élèves de " : "Parents de ") + g.Name, ids));
                    break;
                case AudienceKind.SchoolProfile when schools.TryGetValue(token.TargetId, out var s)
                        && CommunicationRules.MayAddressSchoolProfile(sender, s.Id, s.RegionId, rulesOf):
                    allowed.Add(new ResolvedAudience(token, $"{SchoolProfileLabels[token.Profile!.Value]} ({s.Name})",
                        await SchoolProfileMembersAsync(s.Id, token.Profile!.Value, ct)));
                    break;
                default:
                    refused.Add(token);
                    break;
            }
        }

        return (allowed, refused);
    }

    /// <summary>Labels of the audiences a draft holds, without expanding them (a page view).</summary>
    public async Task<List<AudienceChoice>> LabelsAsync(IReadOnlyCollection<AudienceToken> tokens, CancellationToken ct)
    {
        var ids = tokens.Select(t => t.TargetId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.FirstName + " " + p.LastName, ct);
        var groups = await db.Groups.AsNoTracking().Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        var schools = await db.Schools.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return tokens.Select(t => new AudienceChoice(t.ToString(), t.Kind switch
        {
            AudienceKind.Person => people.GetValueOrDefault(t.TargetId, "?"),
            AudienceKind.GroupPupils => "Élèves de " + groups.GetValueOrDefault(t.TargetId, "?"),
            AudienceKind.GroupParents => "Parents de " + groups.GetValueOrDefault(t.TargetId, "?"),
            _ => $"{SchoolProfileLabels[t.Profile!.Value]} ({schools.GetValueOrDefault(t.TargetId, "?")})",
        }, t.Kind == AudienceKind.Person ? "person" : "group")).ToList();
    }

    private Task<List<Guid>> SchoolProfileMembersAsync(Guid schoolId, Profile profile, CancellationToken ct) => profile switch
    {
        Profile.Parent => db.GuardianLinks.Where(l => db.People.Any(c => c.Id == l.ChildId && c.SchoolId == schoolId))
            .Select(l => l.ParentId).Distinct().ToListAsync(ct),
        // "Le personnel" includes the school's administrators.
        Profile.Staff => db.People.Where(p => p.SchoolId == schoolId && (p.Profile == Profile.Staff || p.Profile == Profile.SchoolAdmin))
            .Select(p => p.Id).ToListAsync(ct),
        _ => db.People.Where(p => p.SchoolId == schoolId && p.Profile == profile).Select(p => p.Id).ToListAsync(ct),
    };

    public static readonly IReadOnlyDictionary<Profile, string> SchoolProfileLabels = new Dictionary<Profile, string>
    {
        [Profile.Pupil] = "Tous les élèves",
        [Profile.Parent] = "Tous les parents",
        [Profile.Teacher] = "Tous les professeurs",
        [Profile.Staff] = "Tout le personnel",
    };

    public static string ProfileLabel(Profile profile) => profile switch
    {
        Profile.Pupil => "élève",
        Profile.Parent => "parent",
        Profile.Teacher => "professeur",
        Profile.Staff => "vie scolaire",
        Profile.SchoolAdmin => "direction",
        _ => "rectorat",
    };
}
