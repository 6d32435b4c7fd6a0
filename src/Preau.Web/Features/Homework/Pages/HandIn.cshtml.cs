using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>A pupil hands in their work (text and files, one plain multipart form) and replaces it until the
/// deadline; the pupil and their guardians see the status and the teacher's return. The class's teacher is sent
/// to the class's list. Anyone else gets 404: a hand-in that is not yours does not exist for you.</summary>
[Authorize(Policy = Policies.SchoolMember)]
internal sealed class HandInModel(HandInService service) : PageModel
{
    internal sealed class HandInForm
    {
        public string? Text { get; set; }

        public List<IFormFile> Files { get; set; } = [];

        /// <summary>Files ticked "Retirer".</summary>
        public List<Guid> Remove { get; set; } = [];
    }

    [BindProperty]
    public HandInForm Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "eleve")]
    public Guid? StudentId { get; set; }

    public HandInScope? Scope { get; private set; }

    public SubmissionView? View { get; private set; }

    public bool Open { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }

        Input.Text = View!.Text;
        return Page();
    }

    [HandlerPolicy(Policies.Pupil)]
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        StudentId = null;
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }

        var problem = await service.HandInAsync(Scope!.Entry, View!.PupilId, Input.Text, [.. Input.Files.Where(f => f.Length > 0)], Input.Remove, ct);
        if (problem is null)
        {
            return LocalRedirect($"/devoirs/{id}/rendu?envoye=1");
        }

        // The typed text comes back with the message; the files must be chosen again (browsers never refill a file input).
        ModelState.AddModelError(problem.Field.Length > 0 ? "Input." + problem.Field : string.Empty, problem.Message);
        Response.StatusCode = problem.Status;
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        Scope = await service.ResolveAsync(User, id, StudentId, ct);
        if (Scope is null)
        {
            return NotFound();
        }

        if (Scope.Profile == Profile.Teacher)
        {
            return LocalRedirect(Scope.PupilId is { } p ? $"/devoirs/{id}/copies/{p}" : $"/devoirs/{id}/copies");
        }

        View = (await service.ViewsAsync(Scope.Entry, Scope.PupilId, ct)).Single();
        Open = service.IsOpen(Scope.Entry) && View.Status != HandInStatus.Returned;
        return null;
    }
}
