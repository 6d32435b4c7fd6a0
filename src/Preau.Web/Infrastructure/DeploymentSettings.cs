using StackExchange.Redis;

namespace Preau.Web.Infrastructure;

/// <summary>The shape of the settings a region's operator types by hand, checked at start so that a
/// node refuses them with a French message instead of misbehaving later.</summary>
internal static class DeploymentSettings
{
    /// <summary>Unset (a key is then made for the node, or shared through Redis), or base64 of at least <paramref name="bytes"/> bytes.</summary>
    public static bool IsStrongKey(string? base64, int bytes)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return true;
        }

        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written >= bytes;
    }

    /// <summary>Unset, or StackExchange.Redis configuration naming at least one <c>host:port</c>.</summary>
    public static bool IsRedisAddress(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return true;
        }

        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Unset, or <c>http(s)://host[:port]</c> with nothing after the authority but an optional '/'.</summary>
    public static bool IsPublicBaseUrl(string? url) =>
        string.IsNullOrEmpty(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment));

    /// <summary>The public host passes host filtering: <c>*</c>, the same name, or a <c>*.domain</c> pattern.</summary>
    public static bool HostIsAllowed(string? publicBaseUrl, string? allowedHosts)
    {
        if (string.IsNullOrWhiteSpace(allowedHosts) || !Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri))
        {
            return true;
        }

        var host = uri.IdnHost;
        return allowedHosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(allowed =>
            allowed == "*"
            || string.Equals(allowed.Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            || (allowed.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)));
    }
}
