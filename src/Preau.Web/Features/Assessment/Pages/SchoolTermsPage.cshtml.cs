using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Assessment.Pages;

/// <summary>The head cuts the school year into trimesters or semesters (averages and absence counts are per term).</summary>
[Authorize(Policy = Policies.SchoolAdmin)]
internal sealed class SchoolTermsPageModel(Relations relations, SchoolTerms terms, AssessmentService service) : PageModel
{
    [BindProperty]
    public string Kind { get; set; } = "trimestres";

    [BindProperty]
    public DateOnly? End1 { get; set; }

    [BindProperty]
    public DateOnly? End2 { get; set; }

    public IReadOnlyList<Term> Current { get; private set; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public int SchoolYear { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await SchoolAsync(ct) is not { } school)
        {
            return Forbid();
        }

        Current = await terms.ForYearAsync(school, service.Today, ct);
        Kind = Current.Count == 2 ? "semestres" : "trimestres";
        End1 = Current[0].End;
        End2 = Current.Count > 2 ? Current[1].End : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await SchoolAsync(ct) is not { } school)
        {
            return Forbid();
        }

        ModelState.Clear();
        var trimesters = Kind != "semestres";
        Errors = await terms.ConfigureAsync(school, SchoolYear, trimesters, trimesters ? [End1, End2] : [End1], ct);
        if (Errors.Count == 0)
        {
            return LocalRedirect("/etablissement/periodes?enregistre=1");
        }

        Current = await terms.ForYearAsync(school, service.Today, ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<Guid?> SchoolAsync(CancellationToken ct)
    {
        SchoolYear = SchoolTerms.SchoolYearOf(service.Today);
        return (await relations.GetAsync(User, ct))?.SchoolId;
    }
}
