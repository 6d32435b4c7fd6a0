using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Messaging.Pages;

/// <summary>The school's communication rules, changed by its administrators only (region
/// administrators use the API, which names the school).</summary>
[Authorize(Policy = Policies.SchoolAdmin)]
internal sealed class CommunicationRulesPageModel(PreauDbContext db) : PageModel
{
    [BindProperty]
    public CommunicationRuleSet Rules { get; set; } = CommunicationRuleSet.Defaults;

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "enregistre")] bool saved, CancellationToken ct)
    {
        var schoolId = User.GetSchoolId();
        var row = await db.CommunicationRules.AsNoTracking().SingleOrDefaultAsync(r => r.SchoolId == schoolId, ct);
        Rules = row is null ? CommunicationRuleSet.Defaults : CommunicationRuleSet.From(row);
        Saved = saved;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.GetSchoolId() is not { } schoolId)
        {
            return NotFound();
        }

        await CommunicationRulesEndpoints.SaveAsync(db, schoolId, Rules, ct);
        return Redirect("/messagerie/regles?enregistre=true");
    }

    public static readonly (string Name, string Label)[] Switches =
    [
        (nameof(CommunicationRuleSet.PupilsToTeachers), "Les élèves écrivent à leurs professeurs"),
        (nameof(CommunicationRuleSet.PupilsToStaff), "Les élèves écrivent au personnel (vie scolaire, direction)"),
        (nameof(CommunicationRuleSet.PupilsToClassmates), "Les élèves écrivent à leurs camarades de classe"),
        (nameof(CommunicationRuleSet.ParentsToTeachers), "Les parents écrivent aux professeurs de leurs enfants"),
        (nameof(CommunicationRuleSet.ParentsToStaff), "Les parents écrivent au personnel"),
        (nameof(CommunicationRuleSet.TeachersToParents), "Les professeurs écrivent aux parents"),
        (nameof(CommunicationRuleSet.TeachersToAnyPupilOrParent),
            "Les professeurs écrivent à tous les élèves et parents de l'établissement (sinon : seulement à ceux de leurs classes)"),
        (nameof(CommunicationRuleSet.TeachersToWholeClasses), "Les professeurs écrivent à toute une classe qu'ils ont (élèves ou parents)"),
        (nameof(CommunicationRuleSet.StaffToWholeSchool), "Le personnel écrit à tout l'établissement (tous les élèves, tous les parents…)"),
    ];

    public bool IsOn(string name) => (bool)typeof(CommunicationRuleSet).GetProperty(name)!.GetValue(Rules)!;
}
