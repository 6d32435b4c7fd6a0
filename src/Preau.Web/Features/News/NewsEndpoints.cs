using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Messaging;

namespace Preau.Web.Features.News;

/// <summary>/api/v1/news: any signed-in person reads what is addressed to them; publishing is for
/// teachers (their classes) and staff (their school): the role at the gate, the audiences checked by
/// <see cref="NewsService"/>; read receipts are for the author and the school's staff who can open the item.</summary>
internal static class NewsEndpoints
{
    public static RouteGroupBuilder MapNews(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/news").WithTags("Actualités").RequireAuthorization(Policies.SignedIn).DisableAntiforgery();
        group.MapGet("", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("", CreateAsync).RequireAuthorization(Policies.SchoolStaff);
        group.MapGet("/{id:guid}/receipts", ReceiptsAsync);
        return group;
    }

    internal sealed record CreateNewsRequest(string? Title, string? Body, List<string>? Audience, DateTimeOffset? VisibleFrom,
        DateTimeOffset? VisibleUntil, bool ReceiptRequired);

    internal sealed record NewsCreated(Guid Id);

    private static async Task<Ok<Paged<NewsSummary>>> ListAsync(HttpContext http, NewsService news, CancellationToken ct, int page = 1) =>
        TypedResults.Ok(await news.ListAsync(http.User.GetPersonId(), page, ct));

    private static async Task<Results<Ok<NewsView>, NotFound>> GetAsync(Guid id, HttpContext http, NewsService news, CancellationToken ct) =>
        await news.GetAsync(http.User.GetPersonId(), id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Created<NewsCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateNewsRequest request, HttpContext http, NewsService news, CancellationToken ct)
    {
        var result = await news.CreateAsync(http.User.GetPersonId(), request.Title, request.Body, request.Audience,
            request.VisibleFrom, request.VisibleUntil, request.ReceiptRequired, ct);
        return result.Status switch
        {
            NewsStatus.Created => TypedResults.Created($"/api/v1/news/{result.Id}", new NewsCreated(result.Id)),
            NewsStatus.Invalid => TypedResults.ValidationProblem(result.Errors!),
            _ => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status403Forbidden, title: "Publication refusée"),
        };
    }

    private static async Task<Results<Ok<ReceiptReport>, NotFound>> ReceiptsAsync(Guid id, HttpContext http, NewsService news, CancellationToken ct, int page = 1) =>
        await news.ReceiptsAsync(http.User.GetPersonId(), id, page, ct) is { } report ? TypedResults.Ok(report) : TypedResults.NotFound();
}
