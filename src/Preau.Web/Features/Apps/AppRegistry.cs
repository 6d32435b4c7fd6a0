using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Apps;

namespace Preau.Web.Features.Apps;

/// <summary>An app in the region administrator's list.</summary>
internal sealed record AppSummary(Guid Id, string Name, AppProtocol Protocol, string ClientId, bool Enabled, string AllowedProfiles);

/// <summary>The outcome of a save: the app, the secret to show once (when one was just made), or the problems.</summary>
internal sealed record AppSaveResult(ConnectedApp? App, string? ClientSecret, IReadOnlyList<(string Field, string Message)> Errors)
{
    public bool Saved => App is not null && Errors.Count == 0;
}

/// <summary>
/// Client secrets of OpenID Connect apps: 256 random bits shown once, stored only as a SHA-256 hash. A secret
/// this long needs no slow hash (nothing to guess), so checking one costs no password-hashing place.
/// </summary>
internal static class AppSecrets
{
    private const string Prefix = "sha256:";

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string? presented, string? storedHash) =>
        presented is not null && storedHash is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The region administrator's apps: every read and write is limited to their region in the query itself, so
/// an id from another region is simply not found. After each save or delete every protocol hears of it
/// (<see cref="IAppRegistrar"/>) and every node forgets the region's home-page list.
/// </summary>
internal sealed class AppRegistry(PreauDbContext db, IEnumerable<IAppRegistrar> registrars, AppCatalogCache catalog, TimeProvider clock)
{
    private const int MaxApps = 200;

    public async Task<IReadOnlyList<AppSummary>> ListAsync(Guid regionId, CancellationToken ct)
    {
        var apps = await db.ConnectedApps.AsNoTracking().Where(a => a.RegionId == regionId).OrderBy(a => a.Id).Take(MaxApps)
            .Select(a => new AppSummary(a.Id, a.Name, a.Protocol, a.ClientId, a.Enabled, a.AllowedProfiles)).ToListAsync(ct);
        return [.. apps.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public Task<ConnectedApp?> FindAsync(Guid regionId, Guid id, CancellationToken ct) =>
        db.ConnectedApps.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.RegionId == regionId, ct);

    public async Task<AppSaveResult> CreateAsync(Guid regionId, AppForm form, CancellationToken ct)
    {
        var errors = form.Validate(clientIdEditable: true);
        if (errors.Count == 0 && await ClientIdTakenAsync(form.ClientId!.Trim(), ct))
        {
            errors.Add((nameof(AppForm.ClientId), "Cet identifiant client (client_id) est déjà utilisé : choisissez-en un autre."));
        }

        if (errors.Count > 0)
        {
            return new AppSaveResult(null, null, errors);
        }

        var now = clock.GetUtcNow();
        var app = new ConnectedApp
        {
            RegionId = regionId, Name = "", ClientId = "", RedirectUris = "", LaunchUrl = "", AllowedProfiles = "",
            CreatedAt = now, UpdatedAt = now,
        };
        form.ApplyTo(app, clientIdEditable: true);
        var secret = NeedsSecret(app, form) ? AppSecrets.New() : null;
        app.ClientSecretHash = secret is null ? null : AppSecrets.Hash(secret);
        db.ConnectedApps.Add(app);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two administrators picked the same client_id at the same instant: the unique index kept one.
            return new AppSaveResult(null, null, [(nameof(AppForm.ClientId), "Cet identifiant client (client_id) est déjà utilisé : choisissez-en un autre.")]);
        }

        return await SavedAsync(app, secret, ct);
    }

    /// <summary>Saves the form over the app; <paramref name="newSecret"/> replaces the client secret (OpenID Connect).
    /// Null when the app is not this region's.</summary>
    public async Task<AppSaveResult?> UpdateAsync(Guid regionId, Guid id, AppForm form, bool newSecret, CancellationToken ct)
    {
        var app = await db.ConnectedApps.SingleOrDefaultAsync(a => a.Id == id && a.RegionId == regionId, ct);
        if (app is null)
        {
            return null;
        }

        var errors = form.Validate(clientIdEditable: false);
        if (errors.Count > 0)
        {
            return new AppSaveResult(null, null, errors);
        }

        form.ApplyTo(app, clientIdEditable: false);
        string? secret = null;
        if (!NeedsSecret(app, form))
        {
            app.ClientSecretHash = null;
        }
        else if (newSecret || app.ClientSecretHash is null)
        {
            secret = AppSecrets.New();
            app.ClientSecretHash = AppSecrets.Hash(secret);
        }

        app.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return await SavedAsync(app, secret, ct);
    }

    /// <summary>A new client secret for a confidential OpenID Connect app, replacing the old one at once.
    /// Null when the app is not this region's or has no secret to replace (CAS, public client).</summary>
    public async Task<AppSaveResult?> NewSecretAsync(Guid regionId, Guid id, CancellationToken ct)
    {
        var app = await db.ConnectedApps.SingleOrDefaultAsync(a => a.Id == id && a.RegionId == regionId, ct);
        if (app is null || app.Protocol != AppProtocol.OpenIdConnect)
        {
            return null;
        }

        var secret = AppSecrets.New();
        app.ClientSecretHash = AppSecrets.Hash(secret);
        app.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return await SavedAsync(app, secret, ct);
    }

    /// <summary>Null when the app is not this region's.</summary>
    public async Task<ConnectedApp?> SetEnabledAsync(Guid regionId, Guid id, bool enabled, CancellationToken ct)
    {
        var app = await db.ConnectedApps.SingleOrDefaultAsync(a => a.Id == id && a.RegionId == regionId, ct);
        if (app is null)
        {
            return null;
        }

        app.Enabled = enabled;
        app.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await SavedAsync(app, null, ct);
        return app;
    }

    /// <summary>False when the app is not this region's.</summary>
    public async Task<bool> DeleteAsync(Guid regionId, Guid id, CancellationToken ct)
    {
        var app = await db.ConnectedApps.SingleOrDefaultAsync(a => a.Id == id && a.RegionId == regionId, ct);
        if (app is null)
        {
            return false;
        }

        db.ConnectedApps.Remove(app);
        await db.SaveChangesAsync(ct);
        catalog.Invalidate(regionId);
        foreach (var registrar in registrars)
        {
            await registrar.AppDeletedAsync(app, ct);
        }

        return true;
    }

    private static bool NeedsSecret(ConnectedApp app, AppForm form) => app.Protocol == AppProtocol.OpenIdConnect && !form.PublicClient;

    private Task<bool> ClientIdTakenAsync(string clientId, CancellationToken ct) =>
        db.ConnectedApps.AnyAsync(a => a.ClientId == clientId, ct);

    private async Task<AppSaveResult> SavedAsync(ConnectedApp app, string? secret, CancellationToken ct)
    {
        catalog.Invalidate(app.RegionId);
        foreach (var registrar in registrars)
        {
            await registrar.AppSavedAsync(app, secret, ct);
        }

        return new AppSaveResult(app, secret, []);
    }
}
