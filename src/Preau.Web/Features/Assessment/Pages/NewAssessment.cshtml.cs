using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Assessment.Pages;

/// <summary>A teacher creates an assessment for a class and subject they teach: marked out of N with a
/// coefficient, or on named skills. What was typed comes back with French messages when refused.</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class NewAssessmentModel(AssessmentService service) : PageModel
{
    internal sealed class AssessmentForm
    {
        public string? ClassSubject { get; set; }
        public string? Title { get; set; }
        public DateOnly? Date { get; set; }
        public string Kind { get; set; } = "notes";
        public string? OutOf { get; set; } = "20";
        public string? Coefficient { get; set; } = "1";
        public string? Skills { get; set; }
    }

    [BindProperty]
    public AssessmentForm Input { get; set; } = new();

    public IReadOnlyList<(string Value, string Label)> Assignments { get; private set; } = [];
    public List<string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Input.Date = service.Today;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        // Fields are read here, not by model binding, so that "12,5" or a typo comes back as typed with a French message.
        ModelState.Clear();
        var parts = (Input.ClassSubject ?? "").Split(':');
        if (parts.Length != 2 || !Guid.TryParse(parts[0], out var groupId) || !Guid.TryParse(parts[1], out var subjectId))
        {
            Errors.Add("Choisissez la classe et la matière.");
            return Refused();
        }

        var outOf = ReadDecimal(Input.OutOf);
        var coefficient = ReadDecimal(Input.Coefficient);
        var skills = (Input.Skills ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var (outcome, id, errors) = await service.CreateAsync(User.GetPersonId(),
            new AssessmentInput(groupId, subjectId, Input.Title, Input.Date, Input.Kind, outOf, coefficient, skills), ct);
        switch (outcome)
        {
            case AssessmentOutcome.Ok:
                return LocalRedirect($"/evaluations/{id}?cree=1");
            case AssessmentOutcome.Invalid:
                Errors.AddRange(errors!.Values.Select(m => m[0]));
                break;
            default:
                Errors.Add("Vous n'enseignez pas cette matière dans cette classe.");
                break;
        }

        return Refused();
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static decimal? ReadDecimal(string? text) =>
        decimal.TryParse((text ?? "").Trim().Replace(',', '.'), System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private async Task LoadAsync(CancellationToken ct) =>
        Assignments = [.. (await service.TeachingAsync(User.GetPersonId(), ct)).Select(t => ($"{t.GroupId}:{t.SubjectId}", t.Label))];
}
