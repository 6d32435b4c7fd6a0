using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts.External;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Accounts;

internal static class AccountsSetup
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        // Keys kept where a restart or another node finds them, so nobody is signed out by a deployment.
        builder.AddPreauKeyRing();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AccountsOptions>, ServerSessionStore>((o, accounts, sessions) =>
            {
                // The cookie carries a session key; the session itself lives in the database.
                o.SessionStore = sessions;
                o.Cookie.Name = "preau";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (directly or as told by the proxy).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromDays(accounts.Value.SessionDays);
                o.LoginPath = "/connexion";
                o.LogoutPath = "/deconnexion";
                o.ReturnUrlParameter = "returnUrl";
                // The API answers 401/403 as ProblemDetails instead of redirecting to a page.
                o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
                // Signed in but not allowed: a plain 403, which the status-code pages turn into
                // ProblemDetails for the API and a French page for people (no redirect dance).
                o.Events.OnRedirectToAccessDenied = ctx =>
                {
                    ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = ValidateStampAsync;
            });

        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AccountsOptions>>().Value;
            return new HashingLane(o.InitialHashingConcurrency, o.MaxHashingConcurrency, o.EffectiveHashingQueue,
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), TimeProvider.System, o.HashingNiceness, o.HashingQueueWait);
        });
        // Wall clock on purpose: control ticks follow real time even where tests fake the calendar.
        builder.Services.AddSingleton(sp => new HashingLaneController(sp.GetRequiredService<HashingLane>(),
            sp.GetRequiredService<IOptions<AccountsOptions>>(), TimeProvider.System,
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddScoped<RememberedDevices>();
        builder.Services.AddSingleton<ServerSessionStore>();
        builder.Services.AddScoped<ServerSessions>();
        builder.Services.AddSingleton<AccountsHousekeeping>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountsHousekeeping>());
        builder.Services.AddScoped<Apps.AppLogouts>();
        builder.Services.AddScoped<Apps.AppSubjects>();
        builder.Services.AddScoped<SignInService>();
        builder.AddExternalSignIn();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Pupil, p => p.RequireProfile(Profile.Pupil))
            .AddPolicy(Policies.Teacher, p => p.RequireProfile(Profile.Teacher))
            .AddPolicy(Policies.Family, p => p.RequireProfile(Profile.Pupil, Profile.Parent))
            .AddPolicy(Policies.SchoolMember, p => p.RequireProfile(Profile.Pupil, Profile.Parent, Profile.Teacher, Profile.Staff, Profile.SchoolAdmin))
            .AddPolicy(Policies.CalendarOwner, p => p.RequireProfile(Profile.Pupil, Profile.Parent, Profile.Teacher))
            .AddPolicy(Policies.SchoolStaff, p => p.RequireProfile(Profile.Teacher, Profile.Staff, Profile.SchoolAdmin))
            .AddPolicy(Policies.SchoolOffice, p => p.RequireProfile(Profile.Staff, Profile.SchoolAdmin))
            .AddPolicy(Policies.SchoolAdmin, p => p.RequireProfile(Profile.SchoolAdmin))
            .AddPolicy(Policies.RegionAdmin, p => p.RequireProfile(Profile.RegionAdmin))
            .AddPolicy(Policies.Administration, p => p.RequireProfile(Profile.SchoolAdmin, Profile.RegionAdmin));
        builder.Services.Configure<RazorPagesOptions>(o => o.Conventions.ConfigureFilter(new HandlerPolicyFilter()));
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapMeApi();
        app.MapExternalSignIn();
        return app;
    }

    private static AuthorizationPolicyBuilder RequireProfile(this AuthorizationPolicyBuilder policy, params Profile[] profiles) =>
        policy.RequireClaim(PreauClaims.Profile, profiles.Select(p => p.ToString()));

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private static async Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.IsApiRequest())
        {
            ctx.Response.StatusCode = status;
            return;
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            // A session that expired while a form was being written: keep what was typed.
            await ctx.HttpContext.RequestServices.GetRequiredService<KeptForms>().KeepAsync(ctx.HttpContext);
        }

        ctx.Response.Redirect(ctx.RedirectUri);
    }

    /// <summary>
    /// Ends sessions whose account changed password (or was reset) elsewhere. The stamp is read at
    /// most once per <see cref="AccountsOptions.StampCheckMinutes"/> per session: one indexed
    /// single-column read, not one per request.
    /// </summary>
    private static async Task ValidateStampAsync(CookieValidatePrincipalContext ctx)
    {
        var services = ctx.HttpContext.RequestServices;
        var interval = TimeSpan.FromMinutes(services.GetRequiredService<IOptions<AccountsOptions>>().Value.StampCheckMinutes);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (ctx.Properties.Items.TryGetValue(SignInService.StampCheckedAt, out var text)
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)
            && now - new DateTimeOffset(ticks, TimeSpan.Zero) < interval)
        {
            return;
        }

        var personId = ctx.Principal?.GetPersonId() ?? Guid.Empty;
        var stamp = ctx.Principal?.FindFirst(PreauClaims.SecurityStamp)?.Value;
        var db = services.GetRequiredService<PreauDbContext>();
        var current = await db.Accounts.AsNoTracking().Where(a => a.PersonId == personId)
            .Select(a => a.SecurityStamp).SingleOrDefaultAsync(ctx.HttpContext.RequestAborted);
        if (current is null || !string.Equals(current, stamp, StringComparison.Ordinal))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        if (interval > TimeSpan.Zero)
        {
            ctx.Properties.Items[SignInService.StampCheckedAt] = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
            ctx.ShouldRenew = true;
        }
    }
}

/// <summary>
/// Role gates, by profile. A route group or a page states one (<c>RequireAuthorization(policy)</c>,
/// <c>[Authorize(Policy = ...)]</c>, <see cref="HandlerPolicyAttribute"/> on a page handler); which
/// school, group, child or pupil a person may reach is then asked of
/// <see cref="PeopleDirectory.Relations"/>, next to the resource.
/// </summary>
internal static class Policies
{
    public const string SignedIn = "SignedIn";
    public const string Pupil = "Pupil";
    public const string Teacher = "Teacher";

    /// <summary>A pupil or a parent: reads a pupil's own results.</summary>
    public const string Family = "Family";

    /// <summary>Someone in a class's life (pupil, parent, teacher, staff, head): reads notebooks and timetables.
    /// Not the region administrator, who is in no class.</summary>
    public const string SchoolMember = "SchoolMember";

    /// <summary>Has a personal timetable to subscribe to: pupil, parent, teacher.</summary>
    public const string CalendarOwner = "CalendarOwner";

    /// <summary>Teacher, staff (vie scolaire, secrétariat) or school administrator.</summary>
    public const string SchoolStaff = "SchoolStaff";

    /// <summary>Vie scolaire or head: changes the timetable of the day.</summary>
    public const string SchoolOffice = "SchoolOffice";
    public const string SchoolAdmin = "SchoolAdmin";
    public const string RegionAdmin = "RegionAdmin";

    /// <summary>School or region administrator.</summary>
    public const string Administration = "Administration";
}
