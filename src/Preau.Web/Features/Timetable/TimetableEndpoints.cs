using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Preau.Data.Timetable;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Homework;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Timetable;

internal static class TimetableEndpoints
{
    public const int MaxRangeDays = 31;

    public static RouteGroupBuilder MapTimetableApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/timetable").WithTags("Emploi du temps").RequireAuthorization(Policies.SignedIn);
        // The same who-sees-which-class rules as the homework notebook.
        group.MapGet("", ListAsync).WithName("GetTimetable").RequireAuthorization(Policies.SchoolMember)
            .WithSummary("Cours de from à to (31 jours au plus), changements compris. Parent : studentId.");
        group.MapPost("/lessons/{lessonId:guid}/changes", AddChangeAsync).WithName("AddLessonChange").RequireAuthorization(Policies.SchoolOffice)
            .WithSummary("Vie scolaire ou direction de l'établissement du cours.");
        group.MapPost("/feed", CreateFeedAsync).WithName("CreateCalendarFeed").RequireAuthorization(Policies.CalendarOwner)
            .WithSummary("Crée une adresse iCalendar personnelle secrète (révoque la précédente).");
        // Anyone may revoke their own address (a former pupil, a profile that changed).
        group.MapDelete("/feed", RevokeFeedAsync).WithName("RevokeCalendarFeed");
        // The secret in the URL is the credential: calendar apps send no cookie. Never queued by the gate
        // (a machine path), still under its per-address limits and under a per-address-of-feed limit here.
        // GET and HEAD mapped apart: one operationId each in the OpenAPI document.
        routes.MapGet("/ical/{token}.ics", FeedAsync).AllowAnonymous().WithTags("Emploi du temps").WithName("CalendarFeed")
            .WithSummary("Agenda iCalendar personnel (adresse secrète, sans cookie). ETag : 304 sur If-None-Match.");
        routes.MapMethods("/ical/{token}.ics", [HttpMethods.Head], FeedAsync).AllowAnonymous().WithTags("Emploi du temps").WithName("CalendarFeedHead")
            .WithSummary("En-têtes de l'agenda iCalendar personnel, sans le corps.");
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
        if (SchoolDay.RangeErrors(from, to) is { Count: > 0 } dateErrors)
        {
            return TypedResults.ValidationProblem(dateErrors);
        }

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
        Guid lessonId, ChangeRequest request, ClaimsPrincipal user, TimetableWrites writes, CancellationToken ct)
    {
        // The route group's policy lets only the vie scolaire and the head in; the lesson must be of their school.
        if (user.GetSchoolId() is not { } school)
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
        var (outcome, errors) = await writes.ChangeAsync(school, lessonId,
            new LessonChangeInput(request.Date, kind, request.NewRoom, request.ReplacementTeacherId, request.Note), ct);
        return outcome switch
        {
            TimetableWriteOutcome.NotFound => TypedResults.Problem("Ce cours n'existe pas dans votre établissement.", statusCode: 404, title: "Introuvable"),
            TimetableWriteOutcome.Invalid => TypedResults.ValidationProblem(errors!),
            _ => TypedResults.Created(),
        };
    }

    private static async Task<Results<Created<FeedDto>, ProblemHttpResult>> CreateFeedAsync(
        ClaimsPrincipal user, HttpContext http, CalendarFeeds feeds, CancellationToken ct)
    {
        var token = await feeds.CreateAsync(user.GetPersonId(), ct);
        var url = CalendarFeeds.Url(http.Request, token);
        return TypedResults.Created(url, new FeedDto(url));
    }

    private static async Task<NoContent> RevokeFeedAsync(ClaimsPrincipal user, CalendarFeeds feeds, CancellationToken ct)
    {
        await feeds.RevokeAsync(user.GetPersonId(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<FileContentHttpResult, EmptyHttpResult, StatusCodeHttpResult, NotFound, ProblemHttpResult>> FeedAsync(
        string token, HttpContext http, CalendarFeeds feeds, CalendarFeedLimiter limiter, CancellationToken ct)
    {
        // A calendar app keeps no cookie, and a browser opening the address must not get one either
        // (a renewed sign-in, antiforgery or gate cookie would tie the secret address to a session).
        http.Response.OnStarting(() =>
        {
            http.Response.Headers.Remove(HeaderNames.SetCookie);
            return Task.CompletedTask;
        });
        if (!CalendarFeeds.IsWellFormed(token))
        {
            return TypedResults.NotFound();
        }

        if (limiter.Refusal(CalendarFeeds.Hash(token)) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem("Cette adresse d'agenda est demandée trop souvent : réessayez après le délai indiqué par Retry-After.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Trop de demandes");
        }

        var feed = await feeds.RenderAsync(token, ct);
        if (feed is null)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.GetTypedHeaders();
        headers.ETag = EntityTagHeaderValue.Parse(feed.ETag);
        headers.LastModified = feed.LastModified;
        http.Response.Headers.CacheControl = "private, max-age=900";
        var sent = http.Request.GetTypedHeaders().IfNoneMatch;
        if (sent.Any(e => e.Equals(EntityTagHeaderValue.Any) || e.Compare(headers.ETag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.ContentType = CalendarType;
            http.Response.ContentLength = feed.Body.Length;
            return TypedResults.Empty;
        }

        return TypedResults.Bytes(feed.Body, CalendarType);
    }

    private const string CalendarType = "text/calendar; charset=utf-8";
}

internal static class TimetableSetup
{
    public static WebApplicationBuilder AddTimetable(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddSharedCache<TimetableVersion>();
        builder.Services.AddScoped<TimetableService>();
        builder.Services.AddScoped<TimetableWrites>();
        builder.Services.AddScoped<CalendarFeeds>();
        builder.Services.AddOptions<CalendarFeedOptions>().BindConfiguration(CalendarFeedOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CalendarFeedLimiter>();
        return builder;
    }

    public static WebApplication MapTimetable(this WebApplication app)
    {
        app.MapTimetableApi();
        app.MapWeeklyLessons();
        return app;
    }
}
