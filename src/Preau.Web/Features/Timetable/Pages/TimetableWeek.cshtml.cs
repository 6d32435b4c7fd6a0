using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Homework;

namespace Preau.Web.Features.Timetable.Pages;

/// <summary>Today and the week (Monday to Saturday) for a pupil, a parent's child or a teacher, and
/// the personal calendar address.</summary>
[Authorize]
internal sealed class TimetableWeekModel(HomeworkAccess access, TimetableService timetable, CalendarFeeds feeds, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "eleve")]
    public Guid? StudentId { get; set; }

    [BindProperty(SupportsGet = true, Name = "semaine")]
    public DateOnly? Week { get; set; }

    public DateOnly Today { get; private set; }
    public DateOnly Monday { get; private set; }
    public IReadOnlyList<LessonOccurrence> Lessons { get; private set; } = [];
    public IReadOnlyList<ChildInfo> Children { get; private set; } = [];
    public string? Error { get; private set; }
    public bool HasFeed { get; private set; }
    public string? NewFeedUrl { get; private set; }
    public bool CanHaveFeed => User.GetProfile() is Profile.Pupil or Profile.Parent or Profile.Teacher;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateFeedAsync(CancellationToken ct)
    {
        if (!CanHaveFeed)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var token = await feeds.CreateAsync(User.GetPersonId(), ct);
        NewFeedUrl = $"{Request.Scheme}://{Request.Host}/ical/{token}.ics";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeFeedAsync(CancellationToken ct)
    {
        await feeds.RevokeAsync(User.GetPersonId(), ct);
        return LocalRedirect("/emploi-du-temps");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = SchoolDay.Today(clock);
        Monday = ClassHomeworkCache.MondayOf(Week ?? Today);
        if (User.GetProfile() == Profile.Parent)
        {
            Children = await access.ChildrenAsync(User.GetPersonId(), ct);
        }

        HasFeed = CanHaveFeed && await feeds.HasActiveAsync(User.GetPersonId(), ct);
        var (outcome, scope) = await access.ResolveAsync(User, StudentId, ct);
        if (outcome == ScopeOutcome.StudentRequired)
        {
            return;
        }

        if (scope is null)
        {
            Error = "Vous n'avez pas accès à cet emploi du temps.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        StudentId = scope.PupilId;
        Lessons = await timetable.ForScopeAsync(scope, Monday, Monday.AddDays(5), ct);
    }
}
