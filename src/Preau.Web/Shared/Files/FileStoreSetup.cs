using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Preau.Web.Shared.Files;

internal static class FileStoreSetup
{
    /// <summary>Called by every feature that takes uploads; the store itself is registered once.</summary>
    public static IServiceCollection AddFileStore(this IServiceCollection services)
    {
        services.TryAddSingleton<FileStore>();
        return services;
    }
}
