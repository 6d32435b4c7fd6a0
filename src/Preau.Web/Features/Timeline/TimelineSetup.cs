namespace Preau.Web.Features.Timeline;

internal static class TimelineSetup
{
    public static WebApplicationBuilder AddTimeline(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TimelineFeed>();
        return builder;
    }
}
