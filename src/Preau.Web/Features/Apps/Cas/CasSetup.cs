namespace Preau.Web.Features.Apps.Cas;

/// <summary>
/// Préau as a CAS 1.0/2.0/3.0 server for the connected apps the region declared with the CAS protocol:
/// <c>/cas/login</c> and <c>/cas/logout</c> are pages (people), the validation routes are machine endpoints
/// (apps, never queued by the gate, no password hash), and single logout tells apps when a session ends.
/// </summary>
internal static class CasSetup
{
    public const string LogoutClient = "CasLogout";

    public static WebApplicationBuilder AddCas(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CasOptions>().BindConfiguration(CasOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CasTickets>();
        builder.Services.AddScoped<IAppLogout, CasSingleLogout>();
        builder.Services.AddSingleton<CasLogoutSender>();
        // An app answers a logout request; Préau never follows it anywhere (its sign-in page, another host).
        builder.Services.AddHttpClient(LogoutClient).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return builder;
    }

    public static WebApplication MapCas(this WebApplication app)
    {
        app.MapCasValidation();
        return app;
    }
}
