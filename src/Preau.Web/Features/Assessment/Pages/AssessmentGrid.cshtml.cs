using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Homework;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Assessment.Pages;

/// <summary>
/// The grid of one assessment: the whole class in one form (one text box per pupil, or one list per pupil and
/// skill), sent in one request with the publication choice. Its teacher edits it; the other teachers of the
/// class and subject, staff and head of the school read it. A bad cell sends the whole grid back as typed,
/// with a French message next to each bad cell, and nothing is saved.
/// </summary>
[Authorize(Policy = Policies.SchoolStaff)]
internal sealed class AssessmentGridModel(Relations relations, AssessmentService service) : PageModel
{
    public Grid? Grid { get; private set; }
    public DateTimeOffset Now => service.Now;
    public bool CanEdit { get; private set; }
    public IReadOnlyDictionary<string, string[]> CellErrors { get; private set; } = new Dictionary<string, string[]>();

    [BindProperty]
    public Dictionary<string, string?> Cells { get; set; } = [];

    /// <summary>garder, maintenant, date or retirer.</summary>
    [BindProperty]
    public string? Publication { get; set; } = "garder";

    [BindProperty]
    public DateTime? PublishOn { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    [HandlerPolicy(Policies.Teacher)]
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || !CanEdit)
        {
            return NotFound();
        }

        var publish = Publication switch
        {
            "maintenant" => Optional<DateTimeOffset?>.Some(service.Now),
            "retirer" => Optional<DateTimeOffset?>.Some(null),
            "date" when PublishOn is { } local => Optional<DateTimeOffset?>.Some(ParisTime(local)),
            _ => Optional<DateTimeOffset?>.None,
        };
        var typed = Cells.ToDictionary(c => c.Key, c => c.Value);
        var errors = new Dictionary<string, string[]>();
        if (Publication == "date" && PublishOn is null)
        {
            errors[""] = ["Indiquez la date et l'heure de publication."];
        }

        var cells = new List<CellInput>();
        foreach (var (key, text) in typed)
        {
            if (AssessmentCells.TryReadKey(key, out var pupil, out var skill))
            {
                cells.Add(new CellInput(pupil, skill, text));
            }
        }

        if (errors.Count == 0)
        {
            var (outcome, cellErrors) = await service.SaveGridAsync(User.GetPersonId(), id, cells, publish, ct);
            if (outcome == AssessmentOutcome.Ok)
            {
                return LocalRedirect($"/evaluations/{id}?enregistre=1");
            }

            if (outcome != AssessmentOutcome.Invalid)
            {
                return NotFound();
            }

            errors = cellErrors!;
        }

        // Everything comes back as typed, with the messages.
        Grid = AssessmentService.Retyped(Grid!, typed);
        CellErrors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var me = await relations.GetAsync(User, ct);
        if (me is null || await service.GetVisibleAsync(me, id, ct) is not { } assessment)
        {
            return false;
        }

        Grid = await service.GridAsync(assessment, ct);
        CanEdit = assessment.TeacherId == me.Id && me.Teaches(assessment.GroupId, assessment.SubjectId);
        return true;
    }

    private static DateTimeOffset ParisTime(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, SchoolDay.Zone.GetUtcOffset(unspecified));
    }
}
