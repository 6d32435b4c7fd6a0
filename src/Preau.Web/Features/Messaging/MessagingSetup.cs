using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Messaging;

internal static class MessagingSetup
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Files.IsValid, "Messaging:Files:Extensions doit lister des extensions connues (.pdf, .png...).").ValidateOnStart();
        builder.Services.AddScoped<CommunicationDirectory>();
        builder.Services.AddScoped<MessagingService>();
        builder.Services.AddFileStore();
        builder.Services.AddScoped<MessageAttachments>();
        return builder;
    }

    public static WebApplication MapMessaging(this WebApplication app)
    {
        MessagingEndpoints.MapMessaging(app);
        app.MapCommunicationRules();
        return app;
    }
}
