using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Homework;

namespace Preau.Web.Features.Attendance.Pages;

/// <summary>A pupil's absences and lateness this school year with counts per term: the pupil (their own), a parent
/// (one of their children, justified from here), the school life office and head (a pupil of their school).</summary>
[Authorize(Policy = AttendanceSetup.ReaderPolicy)]
internal sealed class PupilAbsencesModel(AttendanceService service, HomeworkAccess access) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "eleve")]
    public Guid? StudentId { get; set; }

    [FromQuery(Name = "justifie")]
    public bool Justified { get; set; }

    public IReadOnlyList<ChildInfo> Children { get; private set; } = [];
    public PupilAttendance? Pupil { get; private set; }
    public string? Error { get; private set; }
    public bool CanJustify => User.GetProfile() == Profile.Parent;
    public bool ShowName => User.GetProfile() != Profile.Pupil;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var profile = User.GetProfile();
        if (profile == Profile.Parent)
        {
            Children = await access.ChildrenAsync(User.GetPersonId(), ct);
            StudentId ??= Children.Count == 1 ? Children[0].Id : null;
        }
        else if (profile == Profile.Pupil)
        {
            StudentId ??= User.GetPersonId();
        }

        if (StudentId is not { } pupilId)
        {
            if (profile != Profile.Parent)
            {
                // The office opens a pupil from the day's list.
                Error = "Choisissez un élève depuis la liste des absences du jour.";
            }

            return;
        }

        if (!await service.CanReadPupilAsync(User.GetPersonId(), pupilId, ct) || await service.PupilAsync(pupilId, ct) is not { } pupil)
        {
            Error = "Vous n'avez pas accès aux absences de cet élève.";
            StudentId = null; // a refused child is not carried into the menu's links
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        Pupil = pupil;
    }
}
