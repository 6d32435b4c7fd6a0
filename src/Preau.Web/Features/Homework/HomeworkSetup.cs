using Preau.Web.Infrastructure;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework;

internal static class HomeworkSetup
{
    public static WebApplicationBuilder AddHomework(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HomeworkOptions>().BindConfiguration(HomeworkOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Files.IsValid, "Homework:Files:Extensions doit lister des extensions connues (.pdf, .png...).")
            .Validate(o => o.HandInFiles.IsValid, "Homework:HandInFiles doit lister des extensions connues (.pdf, .png...).").ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddSharedCache<ClassHomeworkCache>();
        builder.Services.AddSharedCache<PupilTicksCache>();
        builder.Services.AddFileStore();
        builder.Services.AddSingleton<ListResponseCache>();
        builder.Services.AddScoped<HomeworkAccess>();
        builder.Services.AddScoped<HomeworkService>();
        builder.Services.AddScoped<HandInService>();
        return builder;
    }

    public static WebApplication MapHomework(this WebApplication app)
    {
        app.MapHomeworkApi();
        app.MapHomeworkDownloads();
        app.MapHandInApi();
        app.MapHandInDownloads();
        return app;
    }
}
