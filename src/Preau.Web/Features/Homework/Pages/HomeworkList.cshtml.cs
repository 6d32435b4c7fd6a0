using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>The notebook: "À faire" for a pupil (and a parent, per child), the entries of their
/// classes for a teacher, the whole school for staff and school administrators.</summary>
[Authorize(Policy = Policies.SchoolMember)]
internal sealed class HomeworkListModel(HomeworkAccess access, HomeworkService service) : PageModel
{
    private const int Days = 14;

    [BindProperty(SupportsGet = true, Name = "eleve")]
    public Guid? StudentId { get; set; }

    [BindProperty(SupportsGet = true, Name = "du")]
    public DateOnly? From { get; set; }

    public HomeworkList? List { get; private set; }
    public IReadOnlyList<ChildInfo> Children { get; private set; } = [];
    public Profile? Profile { get; private set; }
    public string? Error { get; private set; }
    public DateOnly Start { get; private set; }
    public Guid Me { get; private set; }
    public IReadOnlyDictionary<Guid, (int Done, int Pupils)> Ticks { get; private set; } = new Dictionary<Guid, (int, int)>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Profile = User.GetProfile();
        Me = User.GetPersonId();
        if (Profile == Data.Directory.Profile.Parent)
        {
            Children = await access.ChildrenAsync(Me, ct);
        }

        var (outcome, scope) = await access.ResolveAsync(User, StudentId, ct);
        if (outcome == ScopeOutcome.StudentRequired)
        {
            return Page();
        }

        if (scope is null)
        {
            Error = "Vous n'avez pas accès à ce cahier de textes.";
            StudentId = null; // a refused child is not carried into the page's links
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        StudentId = scope.PupilId;
        if (!SchoolDay.IsSupported(From))
        {
            // Shown with the coming two weeks rather than a 500.
            Error = SchoolDay.UnsupportedDateMessage;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            From = null;
        }

        Start = From ?? service.Today;
        var end = Start.AddDays(Days - 1);
        // No ETag here: every signed-in page carries forms (sign-out, "fait"), so antiforgery answers it `no-store`
        // and no browser ever revalidates it; an ETag set first only made antiforgery log a warning at every view.
        // Apps revalidate the list through the API (GET /api/v1/devoirs, ETag and 304).
        List = await service.ListAsync(scope, Start, end, null, ct);
        if (Profile == Data.Directory.Profile.Teacher)
        {
            Ticks = await service.TicksAsync([.. List.Items.Where(i => i.AuthorId == Me)], ct);
        }
        return Page();
    }

    [HandlerPolicy(Policies.Pupil)]
    public async Task<IActionResult> OnPostDoneAsync(Guid entryId, bool done, string? returnUrl, CancellationToken ct)
    {
        if (!await service.SetDoneAsync(User.GetPersonId(), entryId, done, ct))
        {
            return NotFound();
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/devoirs");
    }

    [HandlerPolicy(Policies.Teacher)]
    public async Task<IActionResult> OnPostDeleteAsync(Guid entryId, CancellationToken ct)
    {
        return await service.DeleteAsync(User.GetPersonId(), entryId, ct) == WriteOutcome.Ok
            ? LocalRedirect("/devoirs?supprime=1")
            : NotFound();
    }
}
