using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Apps;

/// <summary>An app someone may open from their home page.</summary>
internal sealed record LaunchableApp(Guid Id, string Name, string LaunchUrl, IReadOnlySet<Profile> Profiles)
{
    /// <summary>The home page's link: Préau checks again before sending the person on.</summary>
    public string LaunchLink => $"/applications/{Id}/ouvrir";
}

/// <summary>
/// The enabled apps of each region, one query per region kept in every node's memory: every home page at
/// 9:00 reads it, and it changes only when the region administrator saves an app, which forgets the region's
/// entry on every node (<see cref="CacheBus"/>). A node that cannot hear the others reads the database.
/// </summary>
internal sealed class AppCatalogCache(CacheBus bus) : ISharedCache, IDisposable
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = 1000 });

    public string Kind => "apps";

    public bool TryGet(Guid regionId, out IReadOnlyList<LaunchableApp>? apps)
    {
        apps = null;
        return bus.CachesUsable && _entries.TryGetValue(regionId, out apps);
    }

    public void Set(Guid regionId, IReadOnlyList<LaunchableApp> apps)
    {
        if (bus.CachesUsable)
        {
            _entries.Set(regionId, apps, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = s_ttl, Size = 1 });
        }
    }

    /// <summary>An app of this region was created, changed or deleted.</summary>
    public void Invalidate(Guid regionId) => bus.Publish(Kind, regionId.ToString());

    public void Forget(string? key)
    {
        if (key is not null && Guid.TryParse(key, out var regionId))
        {
            _entries.Remove(regionId);
        }
        else
        {
            _entries.Clear();
        }
    }

    public void Dispose() => _entries.Dispose();
}

/// <summary>Which apps a person may open: enabled, of their region, allowing their profile.</summary>
internal sealed class AppCatalog(PreauDbContext db, AppCatalogCache cache)
{
    // A region declares a handful of apps; the cap only guards against bad data.
    private const int MaxApps = 200;
    private static readonly StringComparer s_french = StringComparer.Create(CultureInfo.GetCultureInfo("fr-FR"), ignoreCase: true);

    public async Task<IReadOnlyList<LaunchableApp>> ForAsync(Guid regionId, Profile? profile, CancellationToken ct)
    {
        if (profile is not { } p)
        {
            return [];
        }

        var all = await RegionAsync(regionId, ct);
        return [.. all.Where(a => a.Profiles.Contains(p))];
    }

    /// <summary>The app if this person may open it now, else null (disabled, deleted, another region or profile).</summary>
    public async Task<LaunchableApp?> FindAsync(Guid regionId, Profile? profile, Guid appId, CancellationToken ct) =>
        (await ForAsync(regionId, profile, ct)).FirstOrDefault(a => a.Id == appId);

    private async Task<IReadOnlyList<LaunchableApp>> RegionAsync(Guid regionId, CancellationToken ct)
    {
        if (cache.TryGet(regionId, out var cached))
        {
            return cached!;
        }

        var rows = await db.ConnectedApps.AsNoTracking().Where(a => a.RegionId == regionId && a.Enabled)
            .OrderBy(a => a.Id).Take(MaxApps)
            .Select(a => new { a.Id, a.Name, a.LaunchUrl, a.AllowedProfiles }).ToListAsync(ct);
        IReadOnlyList<LaunchableApp> apps = [.. rows
            .Select(a => new LaunchableApp(a.Id, a.Name, a.LaunchUrl, AppForm.ParseProfiles(a.AllowedProfiles)))
            .OrderBy(a => a.Name, s_french)];
        cache.Set(regionId, apps);
        return apps;
    }
}
