namespace Preau.Web.Features.Homework;

internal static class HomeworkSetup
{
    public static WebApplicationBuilder AddHomework(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HomeworkOptions>().BindConfiguration(HomeworkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ClassHomeworkCache>();
        builder.Services.AddSingleton<PupilTicksCache>();
        builder.Services.AddSingleton<AttachmentStore>();
        builder.Services.AddSingleton<ListResponseCache>();
        builder.Services.AddScoped<HomeworkAccess>();
        builder.Services.AddScoped<HomeworkService>();
        return builder;
    }

    public static WebApplication MapHomework(this WebApplication app)
    {
        app.MapHomeworkApi();
        app.MapHomeworkDownloads();
        return app;
    }
}
