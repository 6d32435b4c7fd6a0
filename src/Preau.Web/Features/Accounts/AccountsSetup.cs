using Microsoft.AspNetCore.Authentication.Cookies;
using Preau.Data.Directory;

namespace Preau.Web.Features.Accounts;

internal static class AccountsSetup
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "preau";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.LoginPath = "/connexion";
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Pupil, p => p.RequireClaim(PreauClaims.Profile, nameof(Profile.Pupil)));
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app) => app;
}

internal static class Policies
{
    public const string Pupil = "Pupil";
}
