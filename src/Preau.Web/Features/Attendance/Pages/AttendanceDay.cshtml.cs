using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Homework;

namespace Preau.Web.Features.Attendance.Pages;

/// <summary>The school life office (and the head): the day's absences and lateness of their school, and the
/// justifications waiting for a decision, accepted or refused here.</summary>
[Authorize(Policy = Policies.SchoolOffice)]
internal sealed class AttendanceDayModel(AttendanceService service) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "jour")]
    public DateOnly? RequestedDate { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [FromQuery(Name = "decision")]
    public bool? Decided { get; set; }

    [BindProperty]
    public Guid MarkId { get; set; }

    [BindProperty]
    public bool Accept { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    public DateOnly Date { get; private set; }
    public IReadOnlyList<MarkRow> Rows { get; private set; } = [];
    public IReadOnlyList<MarkRow> Pending { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostDecideAsync(CancellationToken ct)
    {
        var (outcome, error) = User.GetSchoolId() is { } school
            ? await service.DecideAsync(User.GetPersonId(), school, MarkId, Accept, Comment, ct)
            : (AttendanceOutcome.NotFound, null);
        if (outcome == AttendanceOutcome.Ok)
        {
            return LocalRedirect($"/vie-scolaire/absences?jour={ShownDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&decision={(Accept ? "true" : "false")}#justificatifs");
        }

        Error = outcome == AttendanceOutcome.NotFound ? "Ce justificatif n'existe pas dans votre établissement." : error;
        Response.StatusCode = outcome switch
        {
            AttendanceOutcome.NotFound => StatusCodes.Status404NotFound,
            AttendanceOutcome.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        await LoadAsync(ct);
        return Page();
    }

    private DateOnly ShownDate => RequestedDate is { } d && SchoolDay.IsSupported(d) ? d : service.Today;

    private async Task LoadAsync(CancellationToken ct)
    {
        if (!SchoolDay.IsSupported(RequestedDate))
        {
            Error = SchoolDay.UnsupportedDateMessage;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Date = ShownDate;
        if (User.GetSchoolId() is { } school)
        {
            Rows = await service.DayAsync(school, Date, PageNumber, ct);
            Pending = await service.PendingAsync(school, 1, ct);
        }
    }
}
