using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Apps;

namespace Preau.IntegrationTests.Features.Apps.Registry;

/// <summary>Connected apps written straight into the database, for tests that start from one.</summary>
public static class AppsTestData
{
    public static async Task<Guid> SeedAppAsync(IServiceProvider services, Guid regionId, string name = "Manuels numériques",
        string profiles = "Pupil,Parent", bool enabled = true, string launchUrl = "https://manuels.example.org/ouvrir")
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var app = new ConnectedApp
        {
            RegionId = regionId,
            Name = name,
            Protocol = AppProtocol.Cas,
            ClientId = "app-" + Guid.NewGuid().ToString("N")[..12],
            RedirectUris = "https://manuels.example.org/cas",
            LaunchUrl = launchUrl,
            ReleasedClaims = "profile",
            AllowedProfiles = profiles,
            Enabled = enabled,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.ConnectedApps.Add(app);
        await db.SaveChangesAsync();
        return app.Id;
    }
}
