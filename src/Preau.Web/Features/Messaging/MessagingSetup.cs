using Preau.Web.Features.News;
using Preau.Web.Features.Timeline;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Messaging;

internal static class MessagingSetup
{
    /// <summary>Messaging, news and the timeline: they share audiences and communication rules.</summary>
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Files.IsValid, "Messaging:Files:Extensions doit lister des extensions connues (.pdf, .png...).").ValidateOnStart();
        builder.Services.AddScoped<CommunicationDirectory>();
        builder.Services.AddScoped<MessagingService>();
        builder.Services.AddFileStore();
        builder.Services.AddScoped<MessageAttachments>();
        builder.Services.AddScoped<TimelineFeed>();
        builder.Services.AddScoped<NewsService>();
        return builder;
    }

    public static WebApplication MapMessaging(this WebApplication app)
    {
        MessagingEndpoints.MapMessaging(app);
        app.MapCommunicationRules();
        app.MapNews();
        app.MapTimeline();
        return app;
    }
}
