namespace Preau.Web.Features.Assessment;

internal static class AssessmentSetup
{
    public static WebApplicationBuilder AddAssessment(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AssessmentService>();
        return builder;
    }

    public static WebApplication MapAssessment(this WebApplication app)
    {
        app.MapAssessmentApi();
        app.MapAssessmentDownloads();
        return app;
    }
}
