using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.WebEncoders;

namespace Preau.Web.Infrastructure;

internal static class WebSetup
{
    /// <summary>Razor Pages for people, compressed responses, OpenAPI for the JSON API.</summary>
    public static WebApplicationBuilder AddPreauWeb(this WebApplicationBuilder builder)
    {
        // Pages live with their feature (Features/<Feature>/Pages), each with an absolute French route.
        builder.Services.AddRazorPages(o => o.RootDirectory = "/");
        // French text as UTF-8, not "&#xE9;" entities: lighter pages and readable source.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
        builder.Services.AddOpenApi();
        // A login body is a few hundred bytes; refuse anything absurd before it is read.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 32 * 1024 * 1024);
        return builder;
    }

    /// <summary>Compression, static files and authentication: what comes before the gate,
    /// which needs to know who the user is.</summary>
    public static WebApplication UsePreauWeb(this WebApplication app)
    {
        app.UseResponseCompression();
        app.MapStaticAssets();
        app.UseAuthentication();
        return app;
    }

    /// <summary>Authorization and the pages, after the gate has admitted the request.</summary>
    public static WebApplication UsePreauPages(this WebApplication app)
    {
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapRazorPages().WithStaticAssets();
        app.MapErrorEndpoint();
        return app;
    }
}
