namespace Preau.Web.Features.Import;

internal static class ImportSetup
{
    public static WebApplicationBuilder AddImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<SchoolImporter>();
        return builder;
    }
}
