using Preau.Web.Infrastructure;

namespace Preau.Web.Shared.Http;

/// <summary>What clients of HTTP rely on: public address, proxies, standard response headers.</summary>
internal static class HttpSetup
{
    public static WebApplicationBuilder AddPreauHttp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations()
            .Validate(o => DeploymentSettings.IsPublicBaseUrl(o.PublicBaseUrl),
                "Web:PublicBaseUrl doit être une adresse absolue http ou https sans chemin, par exemple https://ent.exemple.fr.")
            .Validate<IConfiguration>((o, configuration) => DeploymentSettings.HostIsAllowed(o.PublicBaseUrl, configuration["AllowedHosts"]),
                "Web:PublicBaseUrl désigne un nom d'hôte absent de AllowedHosts : ajoutez-le à AllowedHosts (séparés par « ; »), sinon chaque requête reçoit une erreur 400.")
            .ValidateOnStart();
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
