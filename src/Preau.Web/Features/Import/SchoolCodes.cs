using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Import;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Import;

/// <summary>A school a signed-in user may administer: their own (head) or one of their region's (region admin).</summary>
internal sealed record AdministeredSchool(Guid Id, string Uai, string Name);

/// <summary>Someone a school may give a new activation code to.</summary>
internal sealed record CodeHolder
{
    public Guid PersonId { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public Profile Profile { get; init; }
    public required string Login { get; init; }
    public bool Activated { get; init; }
}

/// <summary>
/// New one-time activation codes issued by a school: a reset for one person who lost theirs, or a
/// class's login cards. A new code replaces the previous one (and any password), ends open
/// sessions, and is recorded: who issued it, when, for whom.
/// </summary>
internal sealed class SchoolCodes(PreauDbContext db, TimeProvider clock, IOptions<ImportOptions> options)
{
    /// <summary>The head's own school, or (region admin) the school of their region with that UAI.</summary>
    public async Task<AdministeredSchool?> SchoolOfAsync(ClaimsPrincipal user, string? uai, CancellationToken ct)
    {
        var schools = db.Schools.AsNoTracking();
        switch (user.GetProfile())
        {
            case Profile.SchoolAdmin or Profile.Staff:
                var own = user.GetSchoolId();
                schools = schools.Where(s => s.Id == own);
                break;
            case Profile.RegionAdmin when !string.IsNullOrWhiteSpace(uai):
                var region = user.GetRegionId();
                var code = uai.Trim().ToUpperInvariant();
                schools = schools.Where(s => s.RegionId == region && s.Uai == code);
                break;
            default:
                return null;
        }

        return await schools.Select(s => new AdministeredSchool(s.Id, s.Uai, s.Name)).FirstOrDefaultAsync(ct);
    }

    /// <summary>Pupils of the school and guardians of its pupils; for the head and region admin, its
    /// teachers and staff too. Staff never reset the head's or another adult colleague's account.</summary>
    public IQueryable<CodeHolder> Holders(Guid schoolId, bool adultsToo)
    {
        var parents = db.GuardianLinks.Where(l => l.Child!.SchoolId == schoolId).Select(l => l.ParentId);
        var departed = db.ImportedPeople.Where(r => r.DeactivatedAt != null).Select(r => r.PersonId);
        return db.Accounts.AsNoTracking()
            .Where(a => !departed.Contains(a.PersonId))
            .Where(a => (a.Person!.SchoolId == schoolId && (a.Person.Profile == Profile.Pupil
                    || (adultsToo && (a.Person.Profile == Profile.Teacher || a.Person.Profile == Profile.Staff))))
                || (a.Person!.Profile == Profile.Parent && parents.Contains(a.PersonId)))
            // An initializer, not a constructor: callers filter and sort on its members in SQL.
            .Select(a => new CodeHolder
            {
                PersonId = a.PersonId, FirstName = a.Person!.FirstName, LastName = a.Person.LastName, Profile = a.Person.Profile, Login = a.Login,
                Activated = a.PasswordHash != null,
            });
    }

    public static bool MayResetAdults(ClaimsPrincipal user) => user.GetProfile() is Profile.SchoolAdmin or Profile.RegionAdmin;

    /// <summary>A new code for one person of the school, or null when that person is not one the user may reset.</summary>
    public async Task<(CodeHolder Holder, string Code, DateTimeOffset ExpiresAt)?> ResetAsync(ClaimsPrincipal user, AdministeredSchool school,
        Guid personId, CancellationToken ct)
    {
        var holder = await Holders(school.Id, MayResetAdults(user)).FirstOrDefaultAsync(h => h.PersonId == personId, ct);
        if (holder is null)
        {
            return null;
        }

        var issued = await IssueAsync([personId], user.GetPersonId(), school.Id, "reset", ct);
        return (holder, issued[personId], clock.GetUtcNow().AddDays(options.Value.ActivationDays));
    }

    /// <summary>Cards of a class or group: its active pupils and their guardians whose account is not yet activated.</summary>
    public async Task<List<LoginCard>> CardsForGroupAsync(ClaimsPrincipal user, AdministeredSchool school, Guid groupId, CancellationToken ct)
    {
        var group = await db.Groups.AsNoTracking().Where(g => g.Id == groupId && g.SchoolId == school.Id).Select(g => g.Name).FirstOrDefaultAsync(ct);
        if (group is null)
        {
            return [];
        }

        var pupils = db.GroupMemberships.Where(m => m.GroupId == groupId).Select(m => m.PupilId);
        var guardians = db.GuardianLinks.Where(l => pupils.Contains(l.ChildId)).Select(l => l.ParentId);
        var holders = await Holders(school.Id, adultsToo: false)
            .Where(h => !h.Activated && (pupils.Contains(h.PersonId) || guardians.Contains(h.PersonId)))
            .ToListAsync(ct);
        var issued = await IssueAsync([.. holders.Select(h => h.PersonId)], user.GetPersonId(), school.Id, "cards", ct);
        var expires = clock.GetUtcNow().AddDays(options.Value.ActivationDays);
        return [.. holders
            .OrderBy(h => h.Profile).ThenBy(h => h.LastName, StringComparer.Ordinal).ThenBy(h => h.FirstName, StringComparer.Ordinal)
            .Select(h => new LoginCard($"{h.FirstName} {h.LastName}", h.Profile == Profile.Pupil ? $"Élève — {group}" : $"Responsable — {group}",
                h.Login, issued[h.PersonId], expires))];
    }

    private async Task<Dictionary<Guid, string>> IssueAsync(IReadOnlyList<Guid> people, Guid issuedBy, Guid schoolId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expires = now.AddDays(options.Value.ActivationDays);
        var codes = people.ToDictionary(p => p, _ => ActivationCodes.Generate());
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var (personId, code) in codes)
        {
            var hash = ActivationCodes.Hash(code);
            var stamp = Guid.NewGuid().ToString("N");
            // The previous code and password stop working at once; open sessions end at their next stamp check.
            await db.Accounts.Where(a => a.PersonId == personId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.ActivationCodeHash, hash).SetProperty(a => a.ActivationExpiresAt, expires)
                .SetProperty(a => a.PasswordHash, (string?)null).SetProperty(a => a.SecurityStamp, stamp), ct);
            db.ActivationResets.Add(new ActivationReset { PersonId = personId, IssuedById = issuedBy, SchoolId = schoolId, IssuedAt = now, Reason = reason });
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return codes;
    }
}
