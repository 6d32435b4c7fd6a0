using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Apps;
using Preau.Data.Directory;

namespace Preau.Web.Features.Apps.Cas;

/// <summary>The outcome of a ticket validation: the CAS error code and a French message, or who it is.</summary>
internal sealed record CasValidation(string? ErrorCode, string Message, string User, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    public bool Success => ErrorCode is null;

    public static CasValidation Failed(string code, string message) => new(code, message, "", []);
}

/// <summary>
/// Service tickets: issued to a signed-in person for an app's exact service URL, validated once by that app.
/// The row is deleted by the validation that reads it, so a ticket replayed (or raced from two nodes) is
/// refused: only the delete that counted one row answers with the person.
/// </summary>
internal sealed class CasTickets(PreauDbContext db, AppSubjects subjects, TimeProvider clock, IOptions<CasOptions> options)
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string InvalidTicket = "INVALID_TICKET";
    public const string InvalidService = "INVALID_SERVICE";

    private const string TicketAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The enabled CAS app one of whose service URLs is exactly <paramref name="service"/> (no prefix,
    /// no case folding, no trailing slash forgiven).</summary>
    public async Task<ConnectedApp?> FindAppAsync(string? service, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(service))
        {
            return null;
        }
        // The region declares a handful of apps: read them and match each line exactly here.
        var apps = await db.ConnectedApps.AsNoTracking().Where(a => a.Enabled && a.Protocol == AppProtocol.Cas).ToListAsync(ct);
        return apps.FirstOrDefault(a => ServiceUrls(a).Contains(service, StringComparer.Ordinal));
    }

    public static IEnumerable<string> ServiceUrls(ConnectedApp app) =>
        app.RedirectUris.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool Allows(ConnectedApp app, Profile? profile) =>
        profile is { } p && app.AllowedProfiles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(p.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>A new ticket for this sign-in, and the sign-in remembered for single logout.</summary>
    public async Task<string> IssueAsync(ConnectedApp app, Guid personId, string sessionId, string service, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Letters and digits only (the specification's alphabet; mod_auth_cas ignores a ticket with "_" in it):
        // 43 of 62 symbols carry 256 random bits.
        var ticket = "ST-" + RandomNumberGenerator.GetString(TicketAlphabet, 43);
        db.CasTickets.Add(new CasTicket
        {
            Id = ticket,
            AppId = app.Id,
            PersonId = personId,
            SessionId = sessionId,
            Service = service,
            ExpiresAt = now.AddSeconds(options.Value.TicketSeconds),
        });
        db.AppSignIns.Add(new AppSignIn { AppId = app.Id, PersonId = personId, SessionId = sessionId, Reference = ticket, Service = service, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        // Tickets nobody validated: cleared here, by the issuing that would otherwise let them pile up.
        await db.CasTickets.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(ct);
        return ticket;
    }

    public async Task<CasValidation> ValidateAsync(string? ticket, string? service, bool withAttributes, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(ticket) || string.IsNullOrEmpty(service))
        {
            return CasValidation.Failed(InvalidRequest, "Les paramètres « ticket » et « service » sont obligatoires.");
        }
        var row = ticket.StartsWith("ST-", StringComparison.Ordinal) && ticket.Length <= 64
            ? await db.CasTickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticket, ct)
            : null;
        // One-time whatever the outcome (the protocol asks it): the ticket dies with this attempt.
        if (row is null || await db.CasTickets.Where(t => t.Id == ticket).ExecuteDeleteAsync(ct) == 0)
        {
            return CasValidation.Failed(InvalidTicket, $"Le ticket « {Shorten(ticket)} » est inconnu ou a déjà servi.");
        }
        if (row.ExpiresAt < clock.GetUtcNow())
        {
            return CasValidation.Failed(InvalidTicket, $"Le ticket « {Shorten(ticket)} » a expiré.");
        }
        if (!string.Equals(row.Service, service, StringComparison.Ordinal))
        {
            return CasValidation.Failed(InvalidService, "Ce ticket a été délivré pour un autre service.");
        }
        var app = await db.ConnectedApps.AsNoTracking().FirstOrDefaultAsync(a => a.Id == row.AppId && a.Enabled, ct);
        var person = await db.People.AsNoTracking().Where(p => p.Id == row.PersonId)
            .Select(p => new { p.Id, p.FirstName, p.LastName, p.Profile, p.SchoolId }).FirstOrDefaultAsync(ct);
        if (app is null || person is null || !Allows(app, person.Profile))
        {
            return CasValidation.Failed(InvalidService, "Cette application n'est plus ouverte à cette personne.");
        }

        var released = app.ReleasedClaims.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var login = released.Contains(AppClaims.Login)
            ? await db.Accounts.AsNoTracking().Where(a => a.PersonId == person.Id).Select(a => a.Login).FirstOrDefaultAsync(ct)
            : null;
        var user = login ?? await subjects.ForAsync(app.Id, person.Id, ct);
        var attributes = new List<KeyValuePair<string, string>>();
        if (!withAttributes)
        {
            return new CasValidation(null, "", user, attributes);
        }
        if (released.Contains(AppClaims.Name))
        {
            attributes.Add(new(AppClaims.Name, $"{person.FirstName} {person.LastName}"));
        }
        if (released.Contains(AppClaims.Profile))
        {
            attributes.Add(new(AppClaims.Profile, person.Profile.ToString()));
        }
        if (released.Contains(AppClaims.School) && person.SchoolId is { } schoolId)
        {
            var uai = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.Uai).FirstOrDefaultAsync(ct);
            if (uai is not null)
            {
                attributes.Add(new(AppClaims.School, uai));
            }
        }
        if (released.Contains(AppClaims.Classes))
        {
            attributes.AddRange((await ClassesAsync([person.Id], ct)).Select(c => new KeyValuePair<string, string>(AppClaims.Classes, c.Name)));
        }
        if (released.Contains(AppClaims.Children) && person.Profile == Profile.Parent)
        {
            attributes.AddRange(await ChildrenAsync(app.Id, person.Id, ct));
        }
        if (login is not null)
        {
            attributes.Add(new(AppClaims.Login, login));
        }
        return new CasValidation(null, "", user, attributes);
    }

    /// <summary>Classes and groups attended (pupils) or taught (teachers), by name.</summary>
    private async Task<List<(Guid PersonId, string Name)>> ClassesAsync(IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var attended = await db.GroupMemberships.AsNoTracking().Where(m => people.Contains(m.PupilId))
            .Join(db.Groups, m => m.GroupId, g => g.Id, (m, g) => new { m.PupilId, g.Name }).ToListAsync(ct);
        var taught = await db.TeachingAssignments.AsNoTracking().Where(t => people.Contains(t.TeacherId))
            .Join(db.Groups, t => t.GroupId, g => g.Id, (t, g) => new { PupilId = t.TeacherId, g.Name }).ToListAsync(ct);
        return [.. attended.Concat(taught).Select(r => (r.PupilId, r.Name)).Distinct().OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>One value per child: "subject;First LAST;class,class" (the child's pseudonymous subject for this app).</summary>
    private async Task<IEnumerable<KeyValuePair<string, string>>> ChildrenAsync(Guid appId, Guid parentId, CancellationToken ct)
    {
        var children = await db.GuardianLinks.AsNoTracking().Where(l => l.ParentId == parentId)
            .Join(db.People, l => l.ChildId, p => p.Id, (l, p) => new { p.Id, p.FirstName, p.LastName }).ToListAsync(ct);
        if (children.Count == 0)
        {
            return [];
        }
        var ids = children.Select(c => c.Id).ToList();
        var childSubjects = await subjects.ForAsync(appId, ids, ct);
        var classes = await ClassesAsync(ids, ct);
        return children.OrderBy(c => c.FirstName, StringComparer.Ordinal).Select(c => new KeyValuePair<string, string>(AppClaims.Children,
            $"{childSubjects[c.Id]};{c.FirstName} {c.LastName};{string.Join(',', classes.Where(k => k.PersonId == c.Id).Select(k => k.Name))}"));
    }

    private static string Shorten(string ticket) => ticket.Length <= 12 ? ticket : ticket[..12] + "…";

}
