using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Preau.Web.Features.Accounts.External;

/// <summary>
/// Sign-in through the region's academic OpenID Connect provider (code flow with PKCE; state, nonce,
/// issuer, audience and signature checked by ASP.NET Core's handler). The provider's identity never
/// becomes a Préau session by itself: <see cref="ExternalAccounts"/> maps it to an account, then the
/// ordinary session opens (<see cref="SignInService.OpenSessionAsync"/>).
/// </summary>
internal static class ExternalSignInSetup
{
    public const string Scheme = "academique";
    public const string ChallengePath = "/connexion/externe";
    public const string CallbackPath = "/connexion/externe/retour";

    public static WebApplicationBuilder AddExternalSignIn(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExternalSignInOptions>().BindConfiguration(ExternalSignInOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ExternalAccounts>();
        // Always registered; only used (and its settings only checked) once the region configured a provider.
        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, _ => { });
        builder.Services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<ExternalSignInOptions>>(Configure);
        return builder;
    }

    public static WebApplication MapExternalSignIn(this WebApplication app)
    {
        // Anyone may start it; a plain link, so it works without JavaScript.
        app.MapGet(ChallengePath, (HttpContext http, IOptions<ExternalSignInOptions> options, string? returnUrl) =>
            !options.Value.Enabled
                ? Results.NotFound()
                : Results.Challenge(new AuthenticationProperties
                {
                    RedirectUri = returnUrl is { Length: > 0 } && IsLocal(returnUrl) ? returnUrl : "/",
                }, [Scheme]))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static void Configure(OpenIdConnectOptions o, IOptions<ExternalSignInOptions> settings)
    {
        var s = settings.Value;
        if (!s.Enabled)
        {
            // The authentication middleware asks every remote handler about every request, so the
            // handler must stay valid with no provider: an empty provider that accepts nothing.
            o.ClientId = "aucun-fournisseur";
            o.Configuration = new OpenIdConnectConfiguration();
            o.Events.OnRemoteFailure = FailedAsync;
            return;
        }

        o.Authority = s.Authority;
        o.ClientId = s.ClientId;
        o.ClientSecret = s.ClientSecret;
        o.RequireHttpsMetadata = s.RequireHttpsMetadata;
        o.CallbackPath = CallbackPath;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        // A redirect back (GET), so the Lax correlation cookies come along on plain HTTP too.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Scope.Clear();
        o.Scope.Add("openid");
        foreach (var scope in s.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            o.Scope.Add(scope);
        }

        o.GetClaimsFromUserInfoEndpoint = true;
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.SignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.Events.OnTicketReceived = OnTicketReceivedAsync;
        o.Events.OnRemoteFailure = FailedAsync;
        o.Events.OnAccessDenied = ctx =>
        {
            ctx.Response.Redirect(ExternalOutcomePages.Path(ExternalOutcome.Failed));
            ctx.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Replayed or forged callback, another client's token, provider error: a French page, no session.</summary>
    private static Task FailedAsync(RemoteFailureContext ctx)
    {
        ctx.Response.Redirect(ExternalOutcomePages.Path(ExternalOutcome.Failed));
        ctx.HandleResponse();
        return Task.CompletedTask;
    }

    private static async Task OnTicketReceivedAsync(TicketReceivedContext ctx)
    {
        // The handler would sign the provider's principal in as is: never. We answer ourselves.
        ctx.HandleResponse();
        var http = ctx.HttpContext;
        var settings = http.RequestServices.GetRequiredService<IOptions<ExternalSignInOptions>>().Value;
        var principal = ctx.Principal ?? new ClaimsPrincipal();
        var subject = principal.FindFirst("sub")?.Value;
        var issuer = principal.FindFirst("sub")?.Issuer;
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(issuer))
        {
            http.Response.Redirect(ExternalOutcomePages.Path(ExternalOutcome.Failed));
            return;
        }

        var accounts = http.RequestServices.GetRequiredService<ExternalAccounts>();
        var (outcome, account) = await accounts.ResolveAsync(issuer, subject, principal.FindFirst(settings.MatchClaim)?.Value,
            http.RequestAborted);
        if (account?.Person is null || outcome is not (ExternalOutcome.SignedIn or ExternalOutcome.Linked))
        {
            http.Response.Redirect(ExternalOutcomePages.Path(outcome == ExternalOutcome.SignedIn ? ExternalOutcome.NoMatch : outcome));
            return;
        }

        await SignInService.OpenSessionAsync(http, account, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        var next = ctx.Properties?.RedirectUri is { Length: > 0 } target && IsLocal(target) ? target : "/";
        http.Response.Redirect(outcome == ExternalOutcome.Linked
            ? ExternalOutcomePages.Path(ExternalOutcome.Linked) + "?returnUrl=" + Uri.EscapeDataString(next)
            : next);
    }

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
