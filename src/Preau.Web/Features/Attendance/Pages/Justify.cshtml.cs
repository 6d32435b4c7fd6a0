using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Attendance.Pages;

/// <summary>A parent justifies their child's absence or lateness: a reason from the list, a comment, an optional
/// document through the file store. Another family's absence is a 404; an accepted one cannot be changed.</summary>
[Authorize(Policy = AttendanceSetup.ParentPolicy)]
internal sealed class JustifyModel(AttendanceService service) : PageModel
{
    [FromRoute]
    public Guid MarkId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public IFormFile? Document { get; set; }

    public MarkRow? Mark { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        Reason ??= AttendanceTexts.ReasonCode(Mark!.Reason);
        Comment ??= Mark!.Comment;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        var errors = AttendanceService.Validate(Reason, Comment, out var justification);
        foreach (var (key, messages) in errors)
        {
            ModelState.AddModelError(key == "reason" ? nameof(Reason) : nameof(Comment), messages[0]);
        }

        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        StoredFile? file = null;
        if (Document is { Length: > 0 } upload)
        {
            await using var content = upload.OpenReadStream();
            var saved = await service.SaveDocumentAsync(content, upload.FileName, ct);
            if (saved.File is null)
            {
                ModelState.AddModelError(nameof(Document), saved.Message!);
                Response.StatusCode = saved.StatusCode;
                return Page();
            }

            file = saved.File;
        }

        AttendanceOutcome outcome;
        try
        {
            outcome = await service.JustifyAsync(User.GetPersonId(), MarkId, justification!, file, ct);
        }
        catch
        {
            // The row was not written: the document must not stay behind.
            if (file is not null)
            {
                service.DeleteDocument(file);
            }

            throw;
        }

        if (outcome != AttendanceOutcome.Ok && file is not null)
        {
            service.DeleteDocument(file);
        }

        return outcome switch
        {
            AttendanceOutcome.Ok => LocalRedirect($"/absences?eleve={Mark!.PupilId}&justifie=true"),
            AttendanceOutcome.Conflict => Refuse("Cette absence est déjà justifiée : la vie scolaire a accepté le justificatif."),
            _ => NotFound(),
        };
    }

    private PageResult Refuse(string message)
    {
        ModelState.AddModelError(string.Empty, message);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    /// <summary>The absence, only if it is one of this parent's children's; null when the page may go on.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        Mark = await service.MarkForGuardianAsync(User.GetPersonId(), MarkId, ct);
        return Mark is null ? NotFound() : null;
    }
}
