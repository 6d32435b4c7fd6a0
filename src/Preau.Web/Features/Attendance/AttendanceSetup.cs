using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Attendance;

internal static class AttendanceSetup
{
    /// <summary>Reads a pupil's absences: the pupil, a parent, the school life office, the head (not teachers).</summary>
    public const string ReaderPolicy = "AttendanceReader";

    /// <summary>Justifies a child's absence.</summary>
    public const string ParentPolicy = "AttendanceParent";

    public static WebApplicationBuilder AddAttendance(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttendanceOptions>().BindConfiguration(AttendanceOptions.Section)
            .Validate(o => o.Documents.IsValid, "Attendance:Documents:Extensions doit lister des extensions connues (.pdf, .png...).").ValidateOnStart();
        builder.Services.AddFileStore();
        builder.Services.AddScoped<AttendanceService>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ReaderPolicy, p => p.RequireClaim(PreauClaims.Profile,
                nameof(Profile.Pupil), nameof(Profile.Parent), nameof(Profile.Staff), nameof(Profile.SchoolAdmin)))
            .AddPolicy(ParentPolicy, p => p.RequireClaim(PreauClaims.Profile, nameof(Profile.Parent)));
        return builder;
    }

    public static WebApplication MapAttendance(this WebApplication app)
    {
        app.MapAttendanceApi();
        app.MapAttendanceDownloads();
        return app;
    }
}
