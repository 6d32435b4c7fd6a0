using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Preau.Web.Shared.Files;

internal static class FileStoreSetup
{
    /// <summary>Called by every feature that takes uploads; the store itself is registered once.</summary>
    public static IServiceCollection AddFileStore(this IServiceCollection services)
    {
        services.TryAddSingleton<FileStore>();
        // In a region, refuse to start on a directory the other nodes do not share.
        services.TryAddSingleton<SharedDirectoryCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SharedDirectoryCheck>(s => s.GetRequiredService<SharedDirectoryCheck>()));
        return services;
    }
}
