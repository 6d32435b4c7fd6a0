using Preau.Web.Infrastructure;

namespace Preau.Web.Features.PeopleDirectory;

internal static class DirectorySetup
{
    /// <summary>The relations model every feature asks "who is this person tied to".</summary>
    public static WebApplicationBuilder AddDirectory(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSharedCache<RelationsCache>();
        builder.Services.AddScoped<Relations>();
        builder.Services.AddScoped<SchoolTerms>();
        return builder;
    }
}
