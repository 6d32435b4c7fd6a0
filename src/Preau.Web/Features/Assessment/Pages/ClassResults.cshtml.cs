using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Assessment.Pages;

/// <summary>A class's table for a term (the teacher's subjects, or every subject for staff and head), with its CSV export.</summary>
[Authorize(Policy = Policies.SchoolStaff)]
internal sealed class ClassResultsModel(Relations relations, AssessmentService service) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "periode")]
    public int? TermNumber { get; set; }

    public ClassTable? Table { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var me = await relations.GetAsync(User, ct);
        Table = me is null ? null : await service.ClassTableAsync(me, id, TermNumber, ct);
        return Table is null ? NotFound() : Page();
    }
}
