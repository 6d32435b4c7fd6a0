using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Messaging;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Messaging;

/// <summary>
/// /api/v1/schools/{schoolId}/communication-rules: anyone of the school reads them (the picker
/// shows their effect anyway); only that school's administrators, or the administrators of its
/// region, change them.
/// </summary>
internal static class CommunicationRulesEndpoints
{
    public static RouteGroupBuilder MapCommunicationRules(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/schools/{schoolId:guid}/communication-rules").WithTags("Messagerie")
            .RequireAuthorization().DisableAntiforgery();
        group.MapGet("", GetAsync);
        group.MapPut("", PutAsync);
        return group;
    }

    private static async Task<Results<Ok<CommunicationRuleSet>, NotFound>> GetAsync(Guid schoolId, HttpContext http, PreauDbContext db, CancellationToken ct)
    {
        var regionId = http.User.GetRegionId();
        if (!await db.Schools.AnyAsync(s => s.Id == schoolId && s.RegionId == regionId, ct))
        {
            return TypedResults.NotFound();
        }

        var row = await db.CommunicationRules.AsNoTracking().SingleOrDefaultAsync(r => r.SchoolId == schoolId, ct);
        return TypedResults.Ok(row is null ? CommunicationRuleSet.Defaults : CommunicationRuleSet.From(row));
    }

    private static async Task<Results<Ok<CommunicationRuleSet>, NotFound, ProblemHttpResult>> PutAsync(
        Guid schoolId, CommunicationRuleSet rules, HttpContext http, PreauDbContext db, CancellationToken ct)
    {
        var regionId = http.User.GetRegionId();
        if (!await db.Schools.AnyAsync(s => s.Id == schoolId && s.RegionId == regionId, ct))
        {
            return TypedResults.NotFound();
        }

        var mayChange = http.User.GetProfile() switch
        {
            Profile.RegionAdmin => true,
            Profile.SchoolAdmin => http.User.GetSchoolId() == schoolId,
            _ => false,
        };
        if (!mayChange)
        {
            return TypedResults.Problem("Seule la direction de l'établissement modifie ses règles de communication.",
                statusCode: StatusCodes.Status403Forbidden, title: "Modification refusée");
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
            .SetProperty(r => r.StaffToWholeSchool, rules.StaffToWholeSchool), ct);
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
            });
            await db.SaveChangesAsync(ct);
        }
    }
}
