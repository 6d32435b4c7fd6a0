using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Accounts;

internal sealed record SchoolRef(Guid Id, string Uai, string Name);

internal sealed record GroupRef(Guid Id, string Name);

/// <summary>A class or group of mine; for a teacher, the subjects taught there, names and ids in the same order
/// (an app posts homework with the id).</summary>
internal sealed record MyGroup(Guid Id, string Name, string Kind, IReadOnlyList<string> Subjects, IReadOnlyList<Guid> SubjectIds);

internal sealed record MyChild(Guid Id, string DisplayName, SchoolRef? School, GroupRef? Class);

internal sealed record Me(Guid Id, string DisplayName, string Profile, SchoolRef? School,
    IReadOnlyList<MyGroup> Classes, IReadOnlyList<MyChild> Children);

internal static class MeEndpoints
{
    // A person has a handful of classes or children; the cap only guards against bad data.
    private const int MaxItems = 200;

    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder routes)
    {
        // Every profile may read and change itself, and only itself: the id comes from the cookie.
        var group = routes.MapGroup("/api/v1/me").WithTags("Mon compte").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", GetAsync);
        group.MapPost("/password", ChangePasswordAsync).WithMetadata(new RequestSizeLimitAttribute(AuthEndpoints.MaxAuthBody))
            // JSON only: a cross-site HTML form cannot send application/json, and the cookie is SameSite=Lax.
            .DisableAntiforgery();
        return group;
    }

    internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

    private static async Task<Results<Ok<Me>, NotFound>> GetAsync(ClaimsPrincipal user, PreauDbContext db, Relations relations, CancellationToken ct)
    {
        var me = await LoadAsync(db, relations, user.GetPersonId(), ct);
        return me is null ? TypedResults.NotFound() : TypedResults.Ok(me);
    }

    /// <summary>The signed-in person as the pages and the API show them; null if they no longer exist.
    /// Who they are tied to comes from <see cref="Relations"/>; this only adds the names.</summary>
    internal static async Task<Me?> LoadAsync(PreauDbContext db, Relations relations, Guid personId, CancellationToken ct)
    {
        var ties = await relations.GetAsync(personId, ct);
        var person = ties is null ? null : await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.FirstName, p.LastName }).SingleOrDefaultAsync(ct);
        if (ties is null || person is null)
        {
            return null;
        }

        var groupIds = ties.Groups.Concat(ties.TaughtGroups).Concat(ties.ChildGroups).Distinct().ToList();
        var groups = await db.Groups.AsNoTracking().Where(g => groupIds.Contains(g.Id))
            .Select(g => new { g.Id, g.Name, g.Kind }).ToDictionaryAsync(g => g.Id, ct);
        var subjectIds = ties.Teaching.Select(t => t.SubjectId).Distinct().ToList();
        var subjects = await db.Subjects.AsNoTracking().Where(s => subjectIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var schoolIds = ties.Schools.ToList();
        var schools = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => new SchoolRef(s.Id, s.Uai, s.Name), ct);

        IReadOnlyList<MyGroup> classes = ties.Profile switch
        {
            Profile.Pupil => [.. ties.Groups.Where(groups.ContainsKey).Select(g => groups[g])
                .OrderBy(g => g.Kind).ThenBy(g => g.Name, StringComparer.Ordinal)
                .Select(g => new MyGroup(g.Id, g.Name, g.Kind.ToString(), [], [])).Take(MaxItems)],
            Profile.Teacher => [.. ties.Teaching.Where(t => groups.ContainsKey(t.GroupId) && subjects.ContainsKey(t.SubjectId))
                .GroupBy(t => groups[t.GroupId]).OrderBy(g => g.Key.Name, StringComparer.Ordinal).Take(MaxItems)
                .Select(g =>
                {
                    var taught = g.OrderBy(t => subjects[t.SubjectId], StringComparer.Ordinal).ToList();
                    return new MyGroup(g.Key.Id, g.Key.Name, g.Key.Kind.ToString(),
                        [.. taught.Select(t => subjects[t.SubjectId])], [.. taught.Select(t => t.SubjectId)]);
                })],
            _ => [],
        };
        IReadOnlyList<MyChild> children = [.. ties.Children.Take(MaxItems).Select(c => new MyChild(c.Id, c.Name,
            c.SchoolId is { } school ? schools.GetValueOrDefault(school) : null,
            c.Groups.Where(groups.ContainsKey).Select(g => groups[g]).Where(g => g.Kind == GroupKind.Class)
                .Select(g => new GroupRef(g.Id, g.Name)).FirstOrDefault()))];
        var own = ties.SchoolId is { } mine ? schools.GetValueOrDefault(mine) : null;
        return new Me(personId, $"{person.FirstName} {person.LastName}", ties.Profile.ToString(), own, classes, children);
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal user, SignInService signIn, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword) || request.CurrentPassword.Length > PasswordPolicy.MaxLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["currentPassword"] = ["Saisissez votre mot de passe actuel."],
            });
        }

        var result = await signIn.ChangePasswordAsync(http, user.GetPersonId(), request.CurrentPassword, request.NewPassword ?? "", ct);
        return result.Status switch
        {
            SignInStatus.Success => TypedResults.NoContent(),
            SignInStatus.PasswordRejected => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["newPassword"] = [.. result.Errors!] }, title: "Mot de passe refusé"),
            SignInStatus.InvalidCredentials => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["currentPassword"] = ["Le mot de passe actuel est incorrect."] }),
            _ => AuthEndpoints.Problem(result, http),
        };
    }
}
