using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;

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

    private static async Task<Results<Ok<Me>, NotFound>> GetAsync(ClaimsPrincipal user, PreauDbContext db, CancellationToken ct)
    {
        var me = await LoadAsync(db, user.GetPersonId(), ct);
        return me is null ? TypedResults.NotFound() : TypedResults.Ok(me);
    }

    /// <summary>The signed-in person as the pages and the API show them; null if they no longer exist.</summary>
    internal static async Task<Me?> LoadAsync(PreauDbContext db, Guid personId, CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new
            {
                p.Id,
                p.FirstName,
                p.LastName,
                p.Profile,
                School = p.School == null ? null : new SchoolRef(p.School.Id, p.School.Uai, p.School.Name),
            })
            .SingleOrDefaultAsync(ct);
        if (person is null)
        {
            return null;
        }

        IReadOnlyList<MyGroup> classes = [];
        IReadOnlyList<MyChild> children = [];
        switch (person.Profile)
        {
            case Profile.Pupil:
                classes = await db.GroupMemberships.AsNoTracking().Where(m => m.PupilId == personId)
                    .OrderBy(m => m.Group!.Kind).ThenBy(m => m.Group!.Name)
                    .Select(m => new MyGroup(m.GroupId, m.Group!.Name, m.Group.Kind.ToString(), new List<string>(), new List<Guid>()))
                    .Take(MaxItems).ToListAsync(ct);
                break;
            case Profile.Teacher:
                var taught = await db.TeachingAssignments.AsNoTracking().Where(t => t.TeacherId == personId)
                    .OrderBy(t => t.Group!.Name).ThenBy(t => t.Subject!.Name)
                    .Select(t => new { t.GroupId, t.Group!.Name, t.Group.Kind, t.SubjectId, Subject = t.Subject!.Name })
                    .Take(MaxItems).ToListAsync(ct);
                classes = [.. taught.GroupBy(t => (t.GroupId, t.Name, t.Kind))
                    .Select(g => new MyGroup(g.Key.GroupId, g.Key.Name, g.Key.Kind.ToString(), [.. g.Select(t => t.Subject)], [.. g.Select(t => t.SubjectId)]))];
                break;
            case Profile.Parent:
                var rows = await db.GuardianLinks.AsNoTracking().Where(l => l.ParentId == personId)
                    .OrderBy(l => l.Child!.FirstName)
                    .Select(l => new
                    {
                        l.ChildId,
                        l.Child!.FirstName,
                        l.Child.LastName,
                        School = l.Child.School == null ? null : new SchoolRef(l.Child.School.Id, l.Child.School.Uai, l.Child.School.Name),
                        Class = db.GroupMemberships.Where(m => m.PupilId == l.ChildId && m.Group!.Kind == GroupKind.Class)
                            .Select(m => new GroupRef(m.GroupId, m.Group!.Name)).FirstOrDefault(),
                    })
                    .Take(MaxItems).ToListAsync(ct);
                children = [.. rows.Select(r => new MyChild(r.ChildId, $"{r.FirstName} {r.LastName}", r.School, r.Class))];
                break;
            default:
                break;
        }

        return new Me(person.Id, $"{person.FirstName} {person.LastName}", person.Profile.ToString(), person.School, classes, children);
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
