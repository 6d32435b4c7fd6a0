using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Web.Features.Accounts;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>A teacher writes an entry (homework or lesson content) for one of their class/subject pairs, with an optional file.</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class NewHomeworkModel(PreauDbContext db, HomeworkService service) : PageModel
{
    internal sealed record Assignment(string Value, string Label);

    internal sealed class EntryForm : EntryFields
    {
        [Required(ErrorMessage = "Choisissez la classe et la matière.")]
        public string? ClassSubject { get; set; }

        public IFormFile? File { get; set; }
    }

    [BindProperty]
    public EntryForm Input { get; set; } = new();

    public IReadOnlyList<Assignment> Assignments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Input.Date = service.Today.AddDays(1);
        await LoadAssignmentsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAssignmentsAsync(ct);
        // An empty select binds to null: the form comes back with its message, never a 500.
        var parts = (Input.ClassSubject ?? "").Split(':');
        Guid groupId = Guid.Empty, subjectId = Guid.Empty;
        if (Input.ClassSubject is not null && (parts.Length != 2 || !Guid.TryParse(parts[0], out groupId) || !Guid.TryParse(parts[1], out subjectId)))
        {
            ModelState.AddModelError("Input.ClassSubject", "Choisissez la classe et la matière.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var input = Input.ToInput(subjectId);
        var errors = HomeworkService.Validate(input);
        foreach (var (key, messages) in errors)
        {
            ModelState.AddModelError(string.Empty, messages[0]);
        }

        if (errors.Count > 0)
        {
            return Page();
        }

        var files = new List<StoredFile>();
        if (Input.File is { Length: > 0 } upload)
        {
            await using var content = upload.OpenReadStream();
            var saved = await service.SaveFileAsync(content, upload.FileName, ct);
            if (saved.File is not { } file)
            {
                ModelState.AddModelError("Input.File", saved.Message!);
                return Page();
            }

            files.Add(file);
        }

        try
        {
            var (outcome, _, _) = await service.CreateAsync(User.GetPersonId(), groupId, input, files, ct);
            if (outcome != WriteOutcome.Ok)
            {
                service.DeleteFiles(files);
                ModelState.AddModelError("Input.ClassSubject", "Vous n'enseignez pas cette matière dans cette classe.");
                return Page();
            }
        }
        catch
        {
            // The row was not written: the file must not stay behind.
            service.DeleteFiles(files);
            throw;
        }

        return LocalRedirect("/devoirs?cree=1");
    }

    private async Task LoadAssignmentsAsync(CancellationToken ct)
    {
        var me = User.GetPersonId();
        var rows = await db.TeachingAssignments.AsNoTracking().Where(t => t.TeacherId == me)
            .OrderBy(t => t.Group!.Name).ThenBy(t => t.Subject!.Name)
            .Select(t => new { t.GroupId, t.SubjectId, Group = t.Group!.Name, Subject = t.Subject!.Name })
            .ToListAsync(ct);
        Assignments = [.. rows.Select(r => new Assignment($"{r.GroupId}:{r.SubjectId}", $"{r.Group} · {r.Subject}"))];
    }
}
