namespace Preau.Web.Shared.Http;

/// <summary>What clients of HTTP rely on: public address, proxies, standard response headers.</summary>
internal static class HttpSetup
{
    public static WebApplicationBuilder AddPreauHttp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddPreauProxies();
        return builder;
    }

    /// <summary>Before everything else: the real client first, then headers on every response (errors included).</summary>
    public static WebApplication UsePreauHttp(this WebApplication app)
    {
        app.UsePreauProxies();
        app.UsePreauResponseStandards();
        return app;
    }
}
