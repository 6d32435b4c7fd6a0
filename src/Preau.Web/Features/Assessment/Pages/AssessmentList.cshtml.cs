using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Assessment.Pages;

/// <summary>A teacher's assessments of a term and their classes' tables; staff and head see their school's.</summary>
[Authorize(Policy = Policies.SchoolStaff)]
internal sealed class AssessmentListModel(Relations relations, SchoolTerms terms, AssessmentService service) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "periode")]
    public int? TermNumber { get; set; }

    public IReadOnlyList<Term> Terms { get; private set; } = [];
    public Term? Term { get; private set; }
    public IReadOnlyList<AssessmentView> Assessments { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Groups { get; private set; } = [];
    public bool IsTeacher { get; private set; }
    public DateTimeOffset Now => service.Now;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var me = await relations.GetAsync(User, ct);
        if (me?.SchoolId is not { } school)
        {
            return Forbid();
        }

        IsTeacher = me.Profile == Data.Directory.Profile.Teacher;
        Terms = await terms.ForYearAsync(school, service.Today, ct);
        Term = Terms.FirstOrDefault(t => t.Number == TermNumber) ?? SchoolTerms.TermOf(Terms, service.Today);
        Assessments = await service.ListAsync(me, Term, null, ct);
        Groups = await service.TableGroupsAsync(me, ct);
        return Page();
    }
}
