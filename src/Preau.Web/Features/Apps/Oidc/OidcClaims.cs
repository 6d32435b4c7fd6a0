using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Preau.Data;
using Preau.Data.Apps;
using Preau.Data.Directory;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Preau.Web.Features.Apps.Oidc;

/// <summary>
/// What an app learns about a person: its pseudonymous subject always, the rest only as far as the region
/// granted (<see cref="ConnectedApp.ReleasedClaims"/>). Same claims in the id_token and from userinfo.
/// </summary>
internal sealed class OidcClaims(PreauDbContext db, AppSubjects subjects)
{
    public const string ProfileClaim = "profil";
    public const string SchoolClaim = "uai";
    public const string ClassesClaim = "classes";
    public const string ChildrenClaim = "enfants";

    /// <summary>Scopes an app may ask for; the claims themselves follow the grant, not the scopes asked.</summary>
    public static readonly string[] Scopes = [.. new[] { OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.Profile }.Union(AppClaims.All)];

    public async Task<ClaimsIdentity> IdentityAsync(ConnectedApp app, Guid personId, CancellationToken ct)
    {
        var granted = app.ReleasedClaims.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, await subjects.ForAsync(app.Id, personId, ct));

        var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.FirstName, p.LastName, p.Profile, Uai = p.School == null ? null : p.School.Uai })
            .SingleAsync(ct);
        if (granted.Contains(AppClaims.Name))
        {
            identity.SetClaim(Claims.GivenName, person.FirstName).SetClaim(Claims.FamilyName, person.LastName)
                .SetClaim(Claims.Name, $"{person.FirstName} {person.LastName}");
        }
        if (granted.Contains(AppClaims.Profile))
        {
            identity.SetClaim(ProfileClaim, person.Profile.ToString());
        }
        if (granted.Contains(AppClaims.School) && person.Uai is not null)
        {
            identity.SetClaim(SchoolClaim, person.Uai);
        }
        if (granted.Contains(AppClaims.Classes))
        {
            identity.SetClaims(ClassesClaim, [.. await ClassesAsync(personId, person.Profile, ct)]);
        }
        if (granted.Contains(AppClaims.Login))
        {
            var login = await db.Accounts.AsNoTracking().Where(a => a.PersonId == personId).Select(a => a.Login).SingleOrDefaultAsync(ct);
            if (login is not null)
            {
                identity.SetClaim(Claims.PreferredUsername, login);
            }
        }
        if (granted.Contains(AppClaims.Children) && person.Profile == Profile.Parent)
        {
            identity.AddClaim(new Claim(ChildrenClaim, await ChildrenAsync(app.Id, personId, ct), JsonClaimValueTypes.JsonArray));
        }
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return identity;
    }

    private async Task<List<string>> ClassesAsync(Guid personId, Profile profile, CancellationToken ct) => profile == Profile.Teacher
        ? await db.TeachingAssignments.AsNoTracking().Where(t => t.TeacherId == personId)
            .Select(t => t.Group!.Name).Distinct().OrderBy(n => n).ToListAsync(ct)
        : await db.GroupMemberships.AsNoTracking().Where(m => m.PupilId == personId)
            .Select(m => m.Group!.Name).Distinct().OrderBy(n => n).ToListAsync(ct);

    private async Task<string> ChildrenAsync(Guid appId, Guid parentId, CancellationToken ct)
    {
        var children = await db.GuardianLinks.AsNoTracking().Where(g => g.ParentId == parentId)
            .Select(g => new { g.Child!.Id, g.Child.FirstName, g.Child.LastName }).OrderBy(c => c.LastName).ThenBy(c => c.FirstName)
            .ToListAsync(ct);
        var ids = children.Select(c => c.Id).ToList();
        var classes = (await db.GroupMemberships.AsNoTracking().Where(m => ids.Contains(m.PupilId))
                .Select(m => new { m.PupilId, m.Group!.Name }).ToListAsync(ct))
            .ToLookup(m => m.PupilId, m => m.Name);
        var childSubjects = await subjects.ForAsync(appId, ids, ct);
        return JsonSerializer.Serialize(children.Select(c => new Dictionary<string, object>
        {
            [Claims.Subject] = childSubjects[c.Id],
            [Claims.GivenName] = c.FirstName,
            [Claims.FamilyName] = c.LastName,
            [ClassesClaim] = classes[c.Id].Order(StringComparer.Ordinal).ToArray(),
        }));
    }
}
