using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Preau.Data.Directory;
using Preau.Gate;
using Preau.Web.Features.Accounts;
using Preau.Web.Infrastructure;
using Preau.Web.Shared;

namespace Preau.Web.Features.Gate;

/// <summary>Préau hosts the day-one gate in-process and tells it who the signed-in user is.</summary>
internal static class GateHosting
{
    public static WebApplicationBuilder AddGate(this WebApplicationBuilder builder)
    {
        builder.Services.AddPreauGate(builder.Configuration, gate =>
        {
            PreauGateDefaults.Apply(gate);
            // The controller counts as the server's own failure what people are told is "unavailable for a moment"
            // (a database or Redis out of reach, a timeout): a request that broke a constraint or sent a query the
            // database refused failed by itself, and counting it would let one user lower the rate for everyone.
            gate.IsServerFailure = static (context, exception) =>
                exception is null ? GateFailures.IsServerFailure(context, null) : ErrorHandling.IsUnavailable(exception);
            gate.ResolveUser = static context => context.User.Identity?.IsAuthenticated == true
                ? new GateUser(context.User.GetPersonId().ToString(), context.User.FindFirst(PreauClaims.Profile)?.Value ?? "")
                : null;
            // Essential mode: someone with a session who must wait can still read this week's
            // homework and the timetable, served from the per-class caches, not the database.
            gate.IsEssential = IsEssential;
            gate.EssentialLinks.AddRange([
                Offered("Vos devoirs de la semaine", "/devoirs"),
                Offered("Votre emploi du temps", "/emploi-du-temps"),
                Offered("Le portail d'accès : état et réglages", OperatorPage),
            ]);
        });

        // Logout (page, API, or a session ended by a password change) gives the place back at
        // once instead of after the idle window.
        builder.Services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            var previous = o.Events.OnSigningOut;
            o.Events.OnSigningOut = async ctx =>
            {
                await previous(ctx);
                await ctx.HttpContext.RequestServices.GetRequiredService<IPreauGate>().ReleaseAsync(ctx.HttpContext);
            };
        });

        // One node without Redis: keep the ticket signing key in the data directory, so that a
        // restart does not send every admitted user back to the end of the queue.
        builder.Services.AddOptions<GateOptions>().PostConfigure<IOptions<StorageOptions>>((gate, storage) =>
        {
            if (string.IsNullOrEmpty(gate.SigningKey) && string.IsNullOrEmpty(gate.Redis))
            {
                gate.SigningKey = LoadOrCreateKey(Path.Combine(storage.Value.FullDataDirectory, "gate-signing.key"));
            }
        });
        // Checked at start, in French: a short key would sign tickets anyone can forge, and a malformed
        // Redis address would only show as a node quietly falling back to its own gate.
        builder.Services.AddOptions<GateOptions>()
            .Validate(o => DeploymentSettings.IsStrongKey(o.SigningKey, 32),
                "Gate:SigningKey doit être une clé en base64 d'au moins 32 octets (par exemple : openssl rand -base64 32).")
            .Validate(o => DeploymentSettings.IsRedisAddress(o.Redis),
                "Gate:Redis n'est pas une adresse Redis valide (hôte:port, par exemple 127.0.0.1:6379, options séparées par des virgules).")
            .ValidateOnStart();
        return builder;
    }

    private static readonly string[] s_essentialPaths = ["/devoirs", "/emploi-du-temps", "/api/v1/homework", "/api/v1/timetable"];

    /// <summary>The gate's own page for the person on call for a region.</summary>
    private const string OperatorPage = "/admin/portail";

    /// <summary>
    /// Let through while queued: this week's homework and timetable (read), and the gate's page for a region
    /// administrator (read and change the limits). When every place is taken, the person on call is the one who must
    /// see why and raise them: queued behind everyone, they could not, and a region's few administrators cost nothing.
    /// </summary>
    internal static bool IsEssential(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
        && ((HttpMethods.IsGet(context.Request.Method) && s_essentialPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            || (context.Request.Path.Equals(OperatorPage, StringComparison.OrdinalIgnoreCase) && context.User.GetProfile() == Profile.RegionAdmin));

    /// <summary>A waiting-page link shown to the profiles whose main menu has the page (a region administrator has
    /// no homework nor timetable, only the gate's page): the menu says once who has what.</summary>
    private static GateLink Offered(string text, string href) =>
        new(text, href, [.. Enum.GetValues<Profile>().Where(p => MainMenu.For(p).Any(l => l.Href == href)).Select(p => p.ToString())]);

    public static WebApplication UseGate(this WebApplication app)
    {
        app.UsePreauGate();
        return app;
    }

    public static WebApplication MapGate(this WebApplication app)
    {
        app.MapPreauGate();
        return app;
    }

    private static string LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var temp = path + ".tmp";
        File.WriteAllText(temp, key);
        File.Move(temp, path, overwrite: false);
        return key;
    }
}
