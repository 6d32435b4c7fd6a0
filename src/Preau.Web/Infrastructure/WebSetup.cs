using System.Net;
using System.Net.Sockets;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.WebEncoders;
using Preau.Web.Shared.Http;

namespace Preau.Web.Infrastructure;

internal static class WebSetup
{
    /// <summary>Razor Pages for people, compressed responses, OpenAPI for the JSON API.</summary>
    public static WebApplicationBuilder AddPreauWeb(this WebApplicationBuilder builder)
    {
        // Pages live with their feature (Features/<Feature>/Pages), each with an absolute French route.
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/";
            o.Conventions.ConfigureFilter(new MissingHandlerFilter());
            o.Conventions.ConfigureFilter(new ServiceFilterAttribute(typeof(KeptFormFilter)));
        }).AddMvcOptions(FrenchValidation.Configure);
        // French text as UTF-8, not "&#xE9;" entities: lighter pages and readable source.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            // The calendar feed: a term of lessons is tens of kilobytes of repetitive text.
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "text/calendar"];
        });
        builder.Services.AddSingleton<KeptForms>();
        builder.Services.AddSingleton<KeptFormFilter>();
        builder.Services.AddOpenApi(OpenApiStandards.Configure);
        // MapStaticAssets serves the build's fingerprinted and precompressed files (site.*.css.gz).
        // Outside a published folder they live under obj/, which only the static web assets
        // manifest maps; ASP.NET Core reads it by itself in Development alone, so under
        // `dotnet run` (Production) a gzip request got a 200 with an empty body. Reading the
        // manifest in every environment fixes that; a published app has no manifest and serves
        // its wwwroot as before.
        builder.WebHost.UseStaticWebAssets();
        if (NoAddressConfigured(builder.Configuration) && !IsFree(DefaultPort))
        {
            // The README's `dotnet run` must start even when 5000 is taken; the address is printed.
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        // A login body is a few hundred bytes; refuse anything absurd before it is read.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 32 * 1024 * 1024);
        return builder;
    }

    /// <summary>Prints the address people open once Kestrel listens (it may have chosen a free port).</summary>
    public static WebApplication AnnounceAddressesOnStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is { Count: > 0 })
            {
                Console.WriteLine($"Préau est ouvert : {string.Join(" ", addresses)}");
            }
        });
        return app;
    }

    private const int DefaultPort = 5000;

    private static bool NoAddressConfigured(ConfigurationManager configuration) =>
        string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"])
        && string.IsNullOrEmpty(configuration["https_ports"]) && !configuration.GetSection("Kestrel:Endpoints").Exists();

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The OpenAPI document, the pages and the error page.</summary>
    public static WebApplication MapPreauPages(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapRazorPages().WithStaticAssets();
        app.MapErrorEndpoint();
        return app;
    }
}

/// <summary>
/// A POST (or any write) to a page that has no handler for it answers 405 and the French error
/// page. Without this, Razor Pages renders the page without running any handler, so the page
/// meets data it never loaded (a 500).
/// </summary>
internal sealed class MissingHandlerFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var method = context.HttpContext.Request.Method;
        if (context.HandlerMethod is null && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.HttpContext.Response.Headers.Allow = "GET, HEAD";
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
