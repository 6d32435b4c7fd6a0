using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Messaging;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Messaging;

/// <summary>
/// /api/v1/schools/{schoolId}/communication-rules: read by whoever belongs to the school (its
/// members, its pupils' guardians) and the administrators of its region; changed by the school's
/// head or an administrator of its region. A school one cannot see answers 404, like an unknown one.
/// </summary>
internal static class CommunicationRulesEndpoints
{
    public static RouteGroupBuilder MapCommunicationRules(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/schools/{schoolId:guid}/communication-rules").WithTags("Messagerie")
            .RequireAuthorization(Policies.SignedIn).DisableAntiforgery();
        group.MapGet("", GetAsync);
        group.MapPut("", PutAsync).RequireAuthorization(Policies.Administration);
        return group;
    }

    private static async Task<Results<Ok<CommunicationRuleSet>, NotFound>> GetAsync(
        Guid schoolId, HttpContext http, Relations relations, PreauDbContext db, CancellationToken ct)
    {
        if (await relations.GetAsync(http.User, ct) is not { } me || !await relations.CanSeeSchoolAsync(me, schoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var row = await db.CommunicationRules.AsNoTracking().SingleOrDefaultAsync(r => r.SchoolId == schoolId, ct);
        return TypedResults.Ok(row is null ? CommunicationRuleSet.Defaults : CommunicationRuleSet.From(row));
    }

    private static async Task<Results<Ok<CommunicationRuleSet>, NotFound>> PutAsync(
        Guid schoolId, CommunicationRuleSet rules, HttpContext http, Relations relations, PreauDbContext db, CancellationToken ct)
    {
        if (await relations.GetAsync(http.User, ct) is not { } me || !await relations.CanManageSchoolAsync(me, schoolId, ct))
        {
            return TypedResults.NotFound();
        }

        await SaveAsync(db, schoolId, rules, ct);
        return TypedResults.Ok(rules);
    }

    /// <summary>Upsert of one school's rules; the caller has checked who may change them.</summary>
    public static async Task SaveAsync(PreauDbContext db, Guid schoolId, CommunicationRuleSet rules, CancellationToken ct)
    {
        var updated = await db.CommunicationRules.Where(r => r.SchoolId == schoolId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.PupilsToTeachers, rules.PupilsToTeachers)
            .SetProperty(r => r.PupilsToStaff, rules.PupilsToStaff)
            .SetProperty(r => r.PupilsToClassmates, rules.PupilsToClassmates)
            .SetProperty(r => r.ParentsToTeachers, rules.ParentsToTeachers)
            .SetProperty(r => r.ParentsToStaff, rules.ParentsToStaff)
            .SetProperty(r => r.TeachersToParents, rules.TeachersToParents)
            .SetProperty(r => r.TeachersToWholeClasses, rules.TeachersToWholeClasses)
            .SetProperty(r => r.StaffToWholeSchool, rules.StaffToWholeSchool)
            .SetProperty(r => r.TeachersToAnyPupilOrParent, rules.TeachersToAnyPupilOrParent), ct);
        if (updated == 0)
        {
            db.CommunicationRules.Add(new SchoolCommunicationRules
            {
                SchoolId = schoolId,
                PupilsToTeachers = rules.PupilsToTeachers,
                PupilsToStaff = rules.PupilsToStaff,
                PupilsToClassmates = rules.PupilsToClassmates,
                ParentsToTeachers = rules.ParentsToTeachers,
                ParentsToStaff = rules.ParentsToStaff,
                TeachersToParents = rules.TeachersToParents,
                TeachersToWholeClasses = rules.TeachersToWholeClasses,
                StaffToWholeSchool = rules.StaffToWholeSchool,
                TeachersToAnyPupilOrParent = rules.TeachersToAnyPupilOrParent,
            });
            await db.SaveChangesAsync(ct);
        }
    }
}
