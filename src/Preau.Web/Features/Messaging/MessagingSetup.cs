using Preau.Web.Features.News;
using Preau.Web.Features.Timeline;

namespace Preau.Web.Features.Messaging;

internal static class MessagingSetup
{
    /// <summary>Messaging, news and the timeline: they share audiences and communication rules.</summary>
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BodyRenderer>();
        builder.Services.AddScoped<CommunicationDirectory>();
        builder.Services.AddScoped<MessagingService>();
        builder.Services.AddScoped<AttachmentStore>();
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
