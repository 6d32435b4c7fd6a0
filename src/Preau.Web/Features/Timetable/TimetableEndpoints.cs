using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Preau.Data.Directory;
using Preau.Data.Timetable;
using Preau.Data;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Homework;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.Timeline;

namespace Preau.Web.Features.Timetable;

internal static class TimetableEndpoints
{
    public const int MaxRangeDays = 31;

    public static RouteGroupBuilder MapTimetableApi(this IEndpointRouteBuilder routes)
    {
        // Signed in; the same who-sees-which-class rules as the homework notebook.
        var group = routes.MapGroup("/api/v1/timetable").WithTags("Timetable").RequireAuthorization();
        group.MapGet("", ListAsync).WithName("GetTimetable")
            .WithSummary("Cours de from à to (31 jours au plus), changements compris. Parent : studentId.");
        group.MapPost("/lessons/{lessonId:guid}/changes", AddChangeAsync).WithName("AddLessonChange")
            .WithSummary("Vie scolaire ou direction de l'établissement du cours.");
        group.MapPost("/feed", CreateFeedAsync).WithName("CreateCalendarFeed")
            .WithSummary("Crée une adresse iCalendar personnelle secrète (révoque la précédente).");
        group.MapDelete("/feed", RevokeFeedAsync).WithName("RevokeCalendarFeed");
        // The secret in the URL is the credential: calendar apps send no cookie.
        routes.MapGet("/ical/{token}.ics", FeedAsync).AllowAnonymous().WithTags("Timetable").WithName("CalendarFeed");
        return group;
    }

    internal sealed record LessonDto(
        Guid LessonId, DateOnly Date, TimeOnly Start, TimeOnly End, Guid ClassId, string ClassName, string SubjectName, string TeacherName,
        string Room, string? Change, string? NewRoom, string? ReplacementTeacherName, string? Note);

    internal sealed record TimetableDto(DateOnly From, DateOnly To, Guid? StudentId, IReadOnlyList<LessonDto> Lessons);

    internal sealed record ChangeRequest(DateOnly Date, string Kind, string? NewRoom, Guid? ReplacementTeacherId, string? Note);

    internal sealed record FeedDto(string Url);

    private static string? ChangeName(LessonChangeKind? kind) => kind switch
    {
        LessonChangeKind.Cancelled => "cancelled",
        LessonChangeKind.RoomChange => "roomChange",
        LessonChangeKind.Replacement => "replacement",
        _ => null,
    };

    private static async Task<Results<Ok<TimetableDto>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, HomeworkAccess access, TimetableService timetable, TimeProvider clock, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null, Guid? studentId = null)
    {
        var start = from ?? SchoolDay.Today(clock);
        var end = to ?? start.AddDays(6);
        if (end < start || end.DayNumber - start.DayNumber >= MaxRangeDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["to"] = [$"La période doit aller de from à to (to ≥ from), sur {MaxRangeDays} jours au plus."],
            });
        }

        var (outcome, scope) = await access.ResolveAsync(user, studentId, ct);
        if (HomeworkEndpoints.ScopeProblem(outcome) is { } problem)
        {
            return problem;
        }

        var lessons = await timetable.ForScopeAsync(scope!, start, end, ct);
        return TypedResults.Ok(new TimetableDto(start, end, scope!.PupilId, [.. lessons.Select(l => new LessonDto(
            l.LessonId, l.Date, l.Start, l.End, l.GroupId, l.GroupName, l.SubjectName, l.TeacherName, l.Room, ChangeName(l.Change),
            l.NewRoom, l.ReplacementTeacherName, l.Note))]));
    }

    private static async Task<Results<Created, ValidationProblem, ProblemHttpResult>> AddChangeAsync(
        Guid lessonId, ChangeRequest request, ClaimsPrincipal user, PreauDbContext db, TimetableVersion version, TimelineFeed timeline,
        CancellationToken ct)
    {
        if (user.GetProfile() is not (Profile.Staff or Profile.SchoolAdmin) || user.GetSchoolId() is not { } school)
        {
            return TypedResults.Problem("Seules la vie scolaire et la direction modifient l'emploi du temps.", statusCode: 403, title: "Accès refusé");
        }

        var lesson = await db.TimetableLessons.AsNoTracking().Where(l => l.Id == lessonId && l.SchoolId == school)
            .Select(l => new { l.Day, l.Weeks, l.GroupId }).FirstOrDefaultAsync(ct);
        if (lesson is null)
        {
            return TypedResults.Problem("Ce cours n'existe pas dans votre établissement.", statusCode: 404, title: "Introuvable");
        }

        LessonChangeKind? kind = request.Kind switch
        {
            "cancelled" => LessonChangeKind.Cancelled,
            "roomChange" => LessonChangeKind.RoomChange,
            "replacement" => LessonChangeKind.Replacement,
            _ => null,
        };
        var errors = new Dictionary<string, string[]>();
        if (kind is null)
        {
            errors["kind"] = ["kind vaut cancelled, roomChange ou replacement."];
        }

        if (request.Date.DayOfWeek != lesson.Day
            || (lesson.Weeks != WeekParity.Every && TimetableService.ParityOf(request.Date) != lesson.Weeks))
        {
            errors["date"] = ["Ce cours n'a pas lieu à cette date."];
        }

        if (kind == LessonChangeKind.RoomChange && (string.IsNullOrWhiteSpace(request.NewRoom) || request.NewRoom.Length > 50))
        {
            errors["newRoom"] = ["Indiquez la nouvelle salle (50 caractères au plus)."];
        }

        if (kind == LessonChangeKind.Replacement && (request.ReplacementTeacherId is not { } r
            || !await db.People.AnyAsync(p => p.Id == r && p.SchoolId == school && p.Profile == Profile.Teacher, ct)))
        {
            errors["replacementTeacherId"] = ["Indiquez un enseignant de l'établissement."];
        }

        if (request.Note is { Length: > 500 })
        {
            errors["note"] = ["La note est limitée à 500 caractères."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // One change per lesson and date: a new one replaces the old.
        await db.TimetableChanges.Where(c => c.LessonId == lessonId && c.Date == request.Date).ExecuteDeleteAsync(ct);
        db.TimetableChanges.Add(new TimetableChange
        {
            LessonId = lessonId, Date = request.Date, Kind = kind!.Value, NewRoom = request.NewRoom?.Trim(),
            ReplacementTeacherId = kind == LessonChangeKind.Replacement ? request.ReplacementTeacherId : null, Note = request.Note,
        });
        // Saved with the change itself: the class and its parents see it in their timeline.
        timeline.Add([new AudienceToken(AudienceKind.GroupPupils, lesson.GroupId), new AudienceToken(AudienceKind.GroupParents, lesson.GroupId)],
            TimelineKinds.Timetable, ChangeTitle(kind.Value, request.Date), "/emploi-du-temps");
        await db.SaveChangesAsync(ct);
        version.Bump();
        return TypedResults.Created();
    }

    private static string ChangeTitle(LessonChangeKind kind, DateOnly date) => kind switch
    {
        LessonChangeKind.Cancelled => $"Cours annulé le {date:dd/MM}",
        LessonChangeKind.RoomChange => $"Changement de salle le {date:dd/MM}",
        _ => $"Professeur remplacé le {date:dd/MM}",
    };

    private static async Task<Results<Created<FeedDto>, ProblemHttpResult>> CreateFeedAsync(
        ClaimsPrincipal user, HttpContext http, CalendarFeeds feeds, CancellationToken ct)
    {
        if (user.GetProfile() is not (Profile.Pupil or Profile.Parent or Profile.Teacher))
        {
            return TypedResults.Problem("L'agenda personnel concerne les élèves, les parents et les enseignants.", statusCode: 403, title: "Accès refusé");
        }

        var token = await feeds.CreateAsync(user.GetPersonId(), ct);
        var url = $"{http.Request.Scheme}://{http.Request.Host}/ical/{token}.ics";
        return TypedResults.Created(url, new FeedDto(url));
    }

    private static async Task<NoContent> RevokeFeedAsync(ClaimsPrincipal user, CalendarFeeds feeds, CancellationToken ct)
    {
        await feeds.RevokeAsync(user.GetPersonId(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<ContentHttpResult, NotFound>> FeedAsync(string token, HttpContext http, CalendarFeeds feeds, CancellationToken ct)
    {
        var text = await feeds.RenderAsync(token, ct);
        if (text is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "private, max-age=900";
        return TypedResults.Text(text, "text/calendar; charset=utf-8");
    }
}

internal static class TimetableSetup
{
    public static WebApplicationBuilder AddTimetable(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<TimetableVersion>();
        builder.Services.AddScoped<TimetableService>();
        builder.Services.AddScoped<CalendarFeeds>();
        return builder;
    }

    public static WebApplication MapTimetable(this WebApplication app)
    {
        app.MapTimetableApi();
        app.MapWeeklyLessons();
        return app;
    }
}
