using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace Preau.Web.Shared.Http;

/// <summary>Section <c>Web</c>: how people reach Préau from outside.</summary>
internal sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Scheme and host of every absolute link Préau gives out (calendar feed address, login-card QR
    /// codes, redirects), e.g. <c>https://ent.exemple.fr</c>. Empty: the request's own scheme and host, which
    /// host filtering (<c>AllowedHosts</c>) has already checked.</summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>The one place absolute links are built: never from a <c>Host</c> header nobody configured.</summary>
internal static class PublicAddress
{
    public static string BaseUrl(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.PublicBaseUrl;
        return string.IsNullOrEmpty(configured)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : configured.TrimEnd('/');
    }

    /// <summary>An absolute link to <paramref name="path"/> (which starts with '/').</summary>
    public static string Link(HttpContext context, string path) => BaseUrl(context) + path;

    /// <summary>Host names (with port when not the default) this Préau answers to, for the same-site checks.</summary>
    public static bool IsOwnAuthority(HttpContext context, string authority)
    {
        if (string.Equals(authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var configured = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.PublicBaseUrl;
        return Uri.TryCreate(configured, UriKind.Absolute, out var publicBase)
            && string.Equals(authority, publicBase.Authority, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An <c>Origin</c> allowed to write with the session cookie: this request's own host, the public base URL,
    /// or another name of the same deployment listed in <c>AllowedHosts</c> (exact, or <c>*.domain</c>; a bare
    /// <c>*</c> names nobody). Over HTTPS, a plain-HTTP origin is not trusted: anyone on the network can forge one.
    /// </summary>
    public static bool IsTrustedOrigin(HttpContext context, Uri origin)
    {
        if (IsOwnAuthority(context, origin.Authority))
        {
            return true;
        }

        if (origin.Scheme != Uri.UriSchemeHttps && origin.Scheme != context.Request.Scheme)
        {
            return false;
        }

        var hosts = context.RequestServices.GetRequiredService<IOptions<HostFilteringOptions>>().Value.AllowedHosts ?? [];
        return hosts.Any(host => host != "*" && (host.StartsWith("*.", StringComparison.Ordinal)
            ? origin.Host.EndsWith(host[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(origin.Host, host, StringComparison.OrdinalIgnoreCase)));
    }
}
