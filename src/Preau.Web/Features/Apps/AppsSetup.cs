using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Web.Features.Accounts;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Apps;

/// <summary>An app the caller may open: its name and Préau's link that opens it.</summary>
internal sealed record AppLink(Guid Id, string Name, string LaunchLink);

internal static class AppsSetup
{
    public static WebApplicationBuilder AddApps(this WebApplicationBuilder builder)
    {
        builder.Services.AddSharedCache<AppCatalogCache>();
        builder.Services.AddScoped<AppCatalog>();
        builder.Services.AddScoped<AppRegistry>();
        return builder;
    }

    public static WebApplication MapApps(this WebApplication app)
    {
        // Every profile reads its own list: region and profile come from the session, never from the request.
        var group = app.MapGroup("/api/v1/apps").WithTags("Applications").RequireAuthorization(Policies.SignedIn);
        group.MapGet("", ListAsync).WithName("GetMyApps")
            .WithSummary("Les applications que la personne connectée peut ouvrir (celles de sa région ouvertes à son profil).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AppLink>>> ListAsync(HttpContext http, AppCatalog catalog, CancellationToken ct)
    {
        var apps = await catalog.ForAsync(http.User.GetRegionId(), http.User.GetProfile(), ct);
        return TypedResults.Ok<IReadOnlyList<AppLink>>([.. apps.Select(a => new AppLink(a.Id, a.Name, a.LaunchLink))]);
    }
}
