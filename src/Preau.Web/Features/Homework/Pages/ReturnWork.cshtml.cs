using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>The class's teacher in this subject reads one pupil's work and returns it: a comment, an optional mark
/// out of N and a corrected file, in one plain form (again later to amend it).</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class ReturnWorkModel(HandInService service) : PageModel
{
    internal sealed class ReturnForm
    {
        public string? Comment { get; set; }

        public string? Mark { get; set; }

        public string? MarkOutOf { get; set; } = "20";

        public IFormFile? File { get; set; }

        public bool RemoveCorrection { get; set; }
    }

    [BindProperty]
    public ReturnForm Input { get; set; } = new();

    public HandInEntry? Entry { get; private set; }

    public SubmissionView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid pupilId, CancellationToken ct)
    {
        if (await LoadAsync(id, pupilId, ct) is { } refused)
        {
            return refused;
        }

        Input.Comment = View!.Comment;
        if (View.Mark is { } mark)
        {
            Input.Mark = mark.ToString("0.##", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
            Input.MarkOutOf = View.MarkOutOf?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid pupilId, CancellationToken ct)
    {
        if (await LoadAsync(id, pupilId, ct) is { } refused)
        {
            return refused;
        }

        var problem = await service.ReturnAsync(Entry!, User.GetPersonId(), pupilId,
            new ReturnInput(Input.Comment, Input.Mark, Input.MarkOutOf, Input.RemoveCorrection), Input.File, ct);
        if (problem is null)
        {
            return LocalRedirect($"/devoirs/{id}/copies?corrige=1");
        }

        ModelState.AddModelError(problem.Field.Length > 0 ? "Input." + problem.Field : string.Empty, problem.Message);
        Response.StatusCode = problem.Status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, Guid pupilId, CancellationToken ct)
    {
        var scope = await service.ResolveAsync(User, id, pupilId, ct);
        if (scope is not { Profile: Profile.Teacher })
        {
            return NotFound();
        }

        Entry = scope.Entry;
        View = (await service.ViewsAsync(scope.Entry, pupilId, ct)).Single();
        return null;
    }
}
