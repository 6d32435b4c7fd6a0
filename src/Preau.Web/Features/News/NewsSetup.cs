namespace Preau.Web.Features.News;

internal static class NewsSetup
{
    public static WebApplicationBuilder AddNews(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<NewsService>();
        return builder;
    }
}
