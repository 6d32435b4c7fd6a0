using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Timetable;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Homework;

namespace Preau.IntegrationTests.Features.Attendance;

/// <summary>A maths lesson of class a1 with teacher.a1 today (whatever the weekday), a second pupil in a1
/// ("pupil.a1b"), and the register paths.</summary>
internal static class AttendanceTestData
{
    public static DateOnly Today => SchoolDay.Today(TimeProvider.System);

    public static async Task<Guid> SeedLessonTodayAsync(PreauAppFactory app, TestSchools schools, string classKey = "a1", string teacher = "teacher.a1")
    {
        if (!schools.People.ContainsKey("pupil.a1b"))
        {
            await schools.AddPupilAsync(app.Services, "pupil.a1b", "a1");
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var lesson = new TimetableLesson
        {
            SchoolId = schools.Schools[classKey[..1]], GroupId = schools.Classes[classKey], SubjectId = schools.Subjects["maths"],
            TeacherId = schools.People[teacher], Room = "B12", Day = Today.DayOfWeek, Start = new TimeOnly(8, 0), End = new TimeOnly(9, 0),
            Weeks = WeekParity.Every,
        };
        db.TimetableLessons.Add(lesson);
        await db.SaveChangesAsync();
        return lesson.Id;
    }

    public static string RegisterApi(Guid lessonId) => $"/api/v1/attendance/lessons/{lessonId}/register";
}
