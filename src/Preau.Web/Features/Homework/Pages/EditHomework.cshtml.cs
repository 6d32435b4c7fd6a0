using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Homework;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>The author edits an entry (class and subject stay; attachments are added through the API).
/// Anyone else gets 404: an entry that is not yours does not exist for you.</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class EditHomeworkModel(PreauDbContext db, HomeworkService service) : PageModel
{
    [BindProperty]
    public EntryFields Input { get; set; } = new();

    public string Heading { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var me = User.GetPersonId();
        var entry = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == id && e.AuthorId == me)
            .Select(e => new { e.Kind, e.Title, e.Body, e.Date, e.EstimatedMinutes, Group = e.Group!.Name, Subject = e.Subject!.Name })
            .FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            return NotFound();
        }

        Heading = $"{entry.Group} · {entry.Subject}";
        Input = new EntryFields
        {
            Type = entry.Kind == HomeworkKind.Lesson ? "lesson" : "homework", Title = entry.Title, Body = entry.Body,
            Date = entry.Date, Minutes = entry.EstimatedMinutes,
        };
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
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (outcome, errors) = await service.UpdateAsync(me, id, Input.ToInput(current.SubjectId), ct);
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
}
