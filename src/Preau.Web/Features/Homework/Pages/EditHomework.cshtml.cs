using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Homework;
using Preau.Web.Features.Accounts;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>The author edits an entry (class and subject stay) and its files: add, remove, replace,
/// all in the one form, without JavaScript. Anyone else gets 404: an entry that is not yours does not exist for you.</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class EditHomeworkModel(PreauDbContext db, HomeworkService service) : PageModel
{
    /// <summary>The file input that replaces one attachment is named after it.</summary>
    public const string ReplacePrefix = "Remplacer.";

    internal sealed record CurrentFile(Guid Id, string FileName, long Length);

    internal sealed class EditForm : EntryFields
    {
        /// <summary>Attachments ticked "Retirer".</summary>
        public List<Guid> Remove { get; set; } = [];

        public List<IFormFile> Files { get; set; } = [];
    }

    [BindProperty]
    public EditForm Input { get; set; } = new();

    public string Heading { get; private set; } = "";

    public Guid Id { get; private set; }

    public IReadOnlyList<CurrentFile> Attachments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var me = User.GetPersonId();
        var entry = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == id && e.AuthorId == me)
            .Select(e => new { e.Kind, e.Title, e.Body, e.Date, e.EstimatedMinutes, e.HandIn, e.HandInDueAt, e.HandInLateAllowed, Group = e.Group!.Name, Subject = e.Subject!.Name })
            .FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            return NotFound();
        }

        Heading = $"{entry.Group} · {entry.Subject}";
        Input = new EditForm
        {
            Type = entry.Kind == HomeworkKind.Lesson ? "lesson" : "homework", Title = entry.Title, Body = entry.Body,
            Date = entry.Date, Minutes = entry.EstimatedMinutes,
        };
        Input.SetHandIn(entry.HandIn, entry.HandInDueAt, entry.HandInLateAllowed);
        await LoadAttachmentsAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var me = User.GetPersonId();
        var current = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == id && e.AuthorId == me)
            .Select(e => new { e.SubjectId, Group = e.Group!.Name, Subject = e.Subject!.Name }).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return NotFound();
        }

        Heading = $"{current.Group} · {current.Subject}";
        await LoadAttachmentsAsync(id, ct);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // A replacement is the old file removed and the new one added, in the same transaction.
        var remove = new HashSet<Guid>(Input.Remove);
        var uploads = new List<IFormFile>(Input.Files.Where(f => f.Length > 0));
        foreach (var a in Attachments)
        {
            if (Request.Form.Files.GetFile(ReplacePrefix + a.Id) is { Length: > 0 } replacement)
            {
                remove.Add(a.Id);
                uploads.Add(replacement);
            }
        }

        var saved = new List<StoredFile>();
        try
        {
            foreach (var upload in uploads)
            {
                await using var content = upload.OpenReadStream();
                var result = await service.SaveFileAsync(content, upload.FileName, ct);
                if (result.File is not { } file)
                {
                    ModelState.AddModelError("Input.Files", $"{Path.GetFileName(upload.FileName)} : {result.Message}");
                    service.DeleteFiles(saved);
                    return Page();
                }

                saved.Add(file);
            }

            var (outcome, errors) = await service.UpdateAsync(me, id, Input.ToInput(current.SubjectId), new AttachmentChanges(remove, saved), ct);
            if (outcome != WriteOutcome.Ok)
            {
                service.DeleteFiles(saved);
            }

            switch (outcome)
            {
                case WriteOutcome.Ok:
                    return LocalRedirect("/devoirs?modifie=1");
                case WriteOutcome.Invalid:
                    foreach (var (_, messages) in errors!)
                    {
                        ModelState.AddModelError(string.Empty, messages[0]);
                    }

                    return Page();
                case WriteOutcome.Forbidden:
                    ModelState.AddModelError(string.Empty, "Vous n'enseignez plus cette matière dans cette classe.");
                    return Page();
                default:
                    return NotFound();
            }
        }
        catch
        {
            // No row points at these files: they must not stay behind.
            service.DeleteFiles(saved);
            throw;
        }
    }

    private async Task LoadAttachmentsAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        Attachments = await db.HomeworkAttachments.AsNoTracking().Where(a => a.EntryId == id)
            .OrderBy(a => a.FileName).Select(a => new CurrentFile(a.Id, a.FileName, a.Length)).ToListAsync(ct);
    }
}
