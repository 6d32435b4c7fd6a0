using Microsoft.AspNetCore.ResponseCompression;

namespace Preau.Web.Infrastructure;

internal static class WebSetup
{
    /// <summary>Razor Pages for people, compressed responses, OpenAPI for the JSON API.</summary>
    public static WebApplicationBuilder AddPreauWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        // French text as is ("é", not "&#xE9;"): lighter pages, still HTML-encoded where it matters (<, >, &, quotes).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
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

    public static WebApplication UsePreauWeb(this WebApplication app)
    {
        app.UseResponseCompression();
        app.MapStaticAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapRazorPages().WithStaticAssets();
        app.MapErrorEndpoint();
        return app;
    }
}
