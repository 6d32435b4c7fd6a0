using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Timeline;

/// <summary>/api/v1/timeline: each signed-in person reads only their own feed.</summary>
internal static class TimelineEndpoints
{
    public static RouteGroupBuilder MapTimeline(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/timeline").WithTags("Fil d'actualité").RequireAuthorization(Policies.SignedIn).DisableAntiforgery();
        group.MapGet("", ReadAsync);
        group.MapPost("/seen", SeenAsync);
        return group;
    }

    private static async Task<Ok<TimelinePage>> ReadAsync(HttpContext http, TimelineFeed feed, CancellationToken ct, int page = 1) =>
        TypedResults.Ok(await feed.ReadAsync(http.User.GetPersonId(), Math.Max(1, page), 20, ct));

    private static async Task<NoContent> SeenAsync(HttpContext http, TimelineFeed feed, CancellationToken ct)
    {
        await feed.MarkSeenAsync(http.User.GetPersonId(), ct);
        return TypedResults.NoContent();
    }
}
