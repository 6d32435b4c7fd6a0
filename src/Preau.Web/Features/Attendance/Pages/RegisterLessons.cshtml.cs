using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Timetable;

namespace Preau.Web.Features.Attendance.Pages;

/// <summary>A teacher's lessons today (taught or replaced), each with its register; the current one is marked.</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class RegisterLessonsModel(AttendanceService service, TimeProvider clock) : PageModel
{
    public DateOnly Today { get; private set; }
    public IReadOnlyList<(LessonOccurrence Lesson, bool Taken)> Lessons { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = service.Today;
        Lessons = await service.TodayLessonsAsync(User.GetPersonId(), ct);
    }

    public bool IsNow(LessonOccurrence lesson)
    {
        var now = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Homework.SchoolDay.Zone).DateTime);
        return lesson.Start <= now && now < lesson.End;
    }
}
