using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Assessment.Pages;

/// <summary>A pupil's published results of a term (a parent's, per child): each mark with the class's
/// average, minimum and maximum, skills with their level, subject averages and the overall average.</summary>
[Authorize(Policy = Policies.Family)]
internal sealed class ResultsModel(Relations relations, AssessmentService service) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "eleve")]
    public Guid? StudentId { get; set; }

    [BindProperty(SupportsGet = true, Name = "periode")]
    public int? TermNumber { get; set; }

    public PupilResults? Results { get; private set; }
    public IReadOnlyList<ChildRelations> Children { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var me = await relations.GetAsync(User, ct);
        if (me?.Profile == Profile.Parent)
        {
            Children = me.Children;
            StudentId ??= Shared.MainMenu.ChosenChild(HttpContext) is { } remembered && me.IsGuardianOf(remembered) ? remembered : null;
        }

        var pupil = await AssessmentEndpoints.PupilOfAsync(User, relations, StudentId, ct);
        if (pupil is null)
        {
            if (StudentId is not null || Children.Count <= 1)
            {
                Error = "Vous n'avez pas accès aux résultats de cet élève.";
                StudentId = null; // a refused child is not carried into the page's links
                Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            return Page();
        }

        StudentId = me?.Profile == Profile.Parent ? pupil.Value.Id : null;
        Results = await service.PupilResultsAsync(pupil.Value.Id, pupil.Value.SchoolId, pupil.Value.Groups, TermNumber, ct);
        return Page();
    }

    public string Link(int term) => StudentId is { } s ? $"/notes?eleve={s}&periode={term}" : $"/notes?periode={term}";
}
