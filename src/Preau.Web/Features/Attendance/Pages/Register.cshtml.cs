using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Attendance;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Attendance.Pages;

/// <summary>The register of one of the teacher's lessons today, in one form: everyone present unless ticked
/// absent or late; one post saves it (again the same day to correct it). Another teacher's lesson, or a
/// lesson of another day, is a 404.</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class RegisterModel(AttendanceService service) : PageModel
{
    [FromRoute]
    public Guid LessonId { get; set; }

    /// <summary>"present", "absent" or "late" per pupil id, as the radio buttons post them.</summary>
    [BindProperty]
    public Dictionary<Guid, string> Statuses { get; set; } = [];

    [FromQuery(Name = "enregistre")]
    public bool Saved { get; set; }

    public RegisterView? View { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        View = await service.RegisterAsync(User.GetPersonId(), LessonId, ct);
        return View is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var statuses = new Dictionary<Guid, AttendanceStatus>();
        foreach (var (pupil, code) in Statuses)
        {
            if (AttendanceTexts.ParseStatus(code) is { } status)
            {
                statuses[pupil] = status;
            }
            else if (code != "present")
            {
                Error = "Choisissez présent, absent ou en retard pour chaque élève.";
            }
        }

        var (outcome, error) = Error is null ? await service.SaveRegisterAsync(User.GetPersonId(), LessonId, statuses, ct) : (AttendanceOutcome.Invalid, Error);
        if (outcome == AttendanceOutcome.Ok)
        {
            return LocalRedirect($"/appel/{LessonId}?enregistre=true");
        }

        View = await service.RegisterAsync(User.GetPersonId(), LessonId, ct);
        if (View is null || outcome == AttendanceOutcome.NotFound)
        {
            return NotFound();
        }

        // What was ticked comes back as it was sent.
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
