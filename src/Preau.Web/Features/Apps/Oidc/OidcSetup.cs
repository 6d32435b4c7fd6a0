using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Preau.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Preau.Web.Features.Apps.Oidc;

/// <summary>Préau as an OpenID Connect provider (OpenIddict): discovery, code flow with PKCE S256 only,
/// userinfo, end session, back-channel logout. Clients are the <see cref="Preau.Data.Apps.ConnectedApp"/>s
/// the region declared, registered by <see cref="OidcRegistrar"/>.</summary>
internal static class OidcSetup
{
    public static WebApplicationBuilder AddOpenIdConnectProvider(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var issuer = builder.Configuration.GetSection(OidcOptions.Section).Get<OidcOptions>()?.Issuer;
        // plain HTTP only for loopback tests and a developer's machine, never in production
        var allowHttp = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<PreauDbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("/connect/authorize")
                    .SetTokenEndpointUris("/connect/token")
                    .SetUserInfoEndpointUris("/connect/userinfo")
                    .SetEndSessionEndpointUris("/connect/logout");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(OidcClaims.Scopes);
                o.RegisterClaims([Claims.Subject, Claims.Name, Claims.GivenName, Claims.FamilyName, Claims.PreferredUsername,
                    OidcEndpoints.SessionIdClaim, OidcClaims.ProfileClaim, OidcClaims.SchoolClaim, OidcClaims.ClassesClaim,
                    OidcClaims.ChildrenClaim]);
                o.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(1));
                if (issuer is not null)
                {
                    o.SetIssuer(issuer);
                }
                var aspNetCore = o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // a wrong redirect URI cannot be answered to the app: the French error page says it
                    .EnableStatusCodePagesIntegration();
                if (allowHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        // "plain" lets anyone who saw the challenge redeem the code: S256 only
        builder.Services.Configure<OpenIddictServerOptions>(o =>
        {
            o.CodeChallengeMethods.Clear();
            o.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
        });
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, OidcKeys>();
        builder.Services.AddHostedService<OidcKeyRotation>();

        builder.Services.AddScoped<OidcClaims>();
        builder.Services.AddScoped<IAppRegistrar, OidcRegistrar>();
        builder.Services.AddScoped<IAppLogout, OidcLogout>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(Channel.CreateBounded<OidcLogoutNotice>(new BoundedChannelOptions(10_000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        }));
        builder.Services.AddHttpClient(OidcLogoutSender.Client, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddHostedService<OidcLogoutSender>();
        return builder;
    }

    public static WebApplication MapOpenIdConnectProvider(this WebApplication app)
    {
        app.MapOidcEndpoints();
        return app;
    }
}
