using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Data.Homework;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Apps;
using Preau.Web.Features.Homework;
using Preau.Web.Features.Timetable;

namespace Preau.Web.Features.Dashboard.Pages;

/// <summary>The dashboard: what a pupil opens at 9:00 — today's lessons and changes, homework due
/// soon, the latest entries; a teacher's classes for today. Anonymous visitors get the welcome.</summary>
internal sealed class DashboardModel(HomeworkAccess access, HomeworkService homework, TimetableService timetable, AppCatalog apps, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "eleve")]
    public Guid? StudentId { get; set; }

    public Profile? Profile { get; private set; }
    public DateOnly Today { get; private set; }

    /// <summary>The day of <see cref="Lessons"/>: today, or the next day with lessons.</summary>
    public DateOnly LessonsDay { get; private set; }
    public IReadOnlyList<ChildInfo> Children { get; private set; } = [];
    public IReadOnlyList<LessonOccurrence> Lessons { get; private set; } = [];
    public IReadOnlyList<HomeworkItem> DueSoon { get; private set; } = [];
    public IReadOnlyList<HomeworkItem> Latest { get; private set; } = [];
    public IReadOnlySet<Guid> Done { get; private set; } = new HashSet<Guid>();
    public bool ShowsTicks { get; private set; }
    public bool NeedsChild { get; private set; }

    /// <summary>The connected apps this person may open (from memory: one query per region until an app changes).</summary>
    public IReadOnlyList<LaunchableApp> Apps { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Page();
        }

        Profile = User.GetProfile();
        Today = SchoolDay.Today(clock);
        Apps = await apps.ForAsync(User.GetRegionId(), Profile, ct);
        if (Profile == Data.Directory.Profile.Parent)
        {
            Children = await access.ChildrenAsync(User.GetPersonId(), ct);
        }

        var (outcome, scope) = await access.ResolveAsync(User, StudentId, ct);
        if (outcome == ScopeOutcome.StudentRequired)
        {
            NeedsChild = true;
            return Page();
        }

        if (scope is null)
        {
            return Page();
        }

        StudentId = scope.PupilId;
        Lessons = await timetable.ForScopeAsync(scope, Today, Today, ct);
        LessonsDay = Today;
        if (Lessons.Count == 0)
        {
            // A weekend or a day off: the next day with lessons is what the pupil prepares.
            var coming = await timetable.ForScopeAsync(scope, Today.AddDays(1), Today.AddDays(7), ct);
            if (coming.Count > 0)
            {
                LessonsDay = coming[0].Date;
                Lessons = [.. coming.Where(l => l.Date == LessonsDay)];
            }
        }
        // The notebook comes from the per-class cache; only ticks are per pupil (cached too).
        var list = await homework.ListAsync(scope, Today.AddDays(-7), Today.AddDays(7), null, ct);
        ShowsTicks = scope.PupilId is not null;
        Done = list.Done;
        DueSoon = [.. list.Items.Where(i => i.Kind == HomeworkKind.Homework && i.Date >= Today && (scope.Profile != Data.Directory.Profile.Teacher || i.AuthorId == scope.PersonId)).Take(20)];
        Latest = [.. list.Items.Where(i => scope.Profile != Data.Directory.Profile.Teacher || i.AuthorId == scope.PersonId)
            .OrderByDescending(i => i.CreatedAt).Take(5)];
        return Page();
    }
}
