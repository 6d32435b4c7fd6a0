using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Preau.Web.Shared.Http;

/// <summary>Section <c>Proxies</c>: the reverse proxies (TLS terminators) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. Nobody by default, not even loopback: a header from anyone else
/// is ignored, so a client cannot pick its own address for the per-address limits.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxies";

    /// <summary>Addresses of the proxies, e.g. <c>["127.0.0.1", "10.0.0.5"]</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR form, e.g. <c>["10.0.0.0/24"]</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool IsValid() =>
        KnownProxies.All(p => IPAddress.TryParse(p, out _)) && KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _));
}

internal static class Proxies
{
    public static WebApplicationBuilder AddPreauProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section)
            .Validate(o => o.IsValid(), "Proxies : adresse ou réseau illisible dans KnownProxies/KnownNetworks.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxies) =>
        {
            // Scheme (secure cookies, links) and client address only: the host comes from Web:PublicBaseUrl.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            // Every hop that is a known proxy is unwrapped; the first unknown one is the client.
            o.ForwardLimit = null;
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that limits, cookies and logs see the real client.</summary>
    public static WebApplication UsePreauProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>True when a proxy (believed or not) relayed the request: it then came from elsewhere.</summary>
    public static bool IsRelayed(HttpRequest request) =>
        request.Headers.ContainsKey("X-Forwarded-For") || request.Headers.ContainsKey("X-Original-For")
        || request.Headers.ContainsKey("Forwarded");
}
