using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Timeline.Pages;

/// <summary>The reader's own feed; "Nouveau" until they mark it seen (one watermark per person).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class TimelinePageModel(TimelineFeed feed) : PageModel
{
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public TimelinePage Feed { get; private set; } = new([], 1, false, 0);

    public async Task OnGetAsync(CancellationToken ct) => Feed = await feed.ReadAsync(User.GetPersonId(), Math.Max(1, PageNumber), 20, ct);

    public async Task<IActionResult> OnPostSeenAsync(CancellationToken ct)
    {
        await feed.MarkSeenAsync(User.GetPersonId(), ct);
        return RedirectToPage();
    }

    public static string KindLabel(string kind) => kind switch
    {
        TimelineKinds.Message => "Message",
        TimelineKinds.News => "Actualité",
        TimelineKinds.Homework => "Devoir",
        TimelineKinds.Timetable => "Emploi du temps",
        TimelineKinds.Attendance => "Vie scolaire",
        _ => kind,
    };
}
