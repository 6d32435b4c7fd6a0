using Preau.Web.Features.Accounts;
using Preau.Web.Features.Apps;
using Preau.Web.Features.Apps.Cas;
using Preau.Web.Features.Apps.Oidc;
using Preau.Web.Features.Assessment;
using Preau.Web.Features.Attendance;
using Preau.Web.Features.Diagnostics;
using Preau.Web.Features.Gate;
using Preau.Web.Features.Health;
using Preau.Web.Features.Homework;
using Preau.Web.Features.Import;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.News;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Seed;
using Preau.Web.Features.Timeline;
using Preau.Web.Features.Timetable;
using Preau.Web.Infrastructure;
using Preau.Web.Shared.Http;

var builder = WebApplication.CreateBuilder(StartChecks.HostOptions(args));

// What every feature relies on.
builder.AddPreauData();
builder.AddPreauErrors();
builder.AddPreauWeb();
builder.AddPreauHttp();
builder.AddPreauTelemetry();
builder.AddPreauCacheBus();          // in-process caches stay right on every node of a region

// The features, each one folder under Features/.
builder.AddHealth();
builder.AddAccounts();
builder.AddDirectory();
builder.AddGate();
builder.AddSeed();
builder.AddImport();
builder.AddHomework();
builder.AddTimetable();
builder.AddTimeline();
builder.AddMessaging();
builder.AddNews();
builder.AddAssessment();
builder.AddAttendance();
builder.AddApps();                   // connected apps the region declares, on the home page
builder.AddOpenIdConnectProvider();   // connected apps sign people in through Préau
builder.AddCas();                    // Préau as a CAS server for connected apps

var app = builder.Build();
if (!app.ConfigurationIsValid() || await app.RunCommandAsync(args) || !await app.DatabaseIsReadyAsync()
    || !await app.SharedStorageIsReadyAsync())
{
    return;                          // a French line on stderr and a non-zero exit code, or a command's own
}

await app.SeedDemoSchoolAsync();
app.AnnounceAddressesOnStart();

// The request pipeline, in order.
app.UsePreauHttp();                  // real client behind configured proxies; security, cache and challenge headers
app.UsePreauErrors();                // French error page for people, ProblemDetails for the API
app.UsePreauCrossSiteGuard();        // cookie-authenticated API writes from another site: 403
app.UseResponseCompression();
app.MapStaticAssets();               // the stylesheet and icons are never queued
app.UseMetricsForLoopbackOnly();
app.UseAuthentication();
app.UseGate();                       // knows the user: a place belongs to the account, on every device
app.UseAuthorization();
app.UseHashingLaneSignal();          // latency of admitted signed-in requests sizes the hashing lane
app.UseAuthBodyLimit();
app.UseAntiforgery();

// Endpoints.
app.MapPreauPages();
app.MapPreauMetrics();
app.MapHealth();
app.MapGate();
app.MapAccounts();
app.MapImport();
app.MapHomework();
app.MapTimetable();
app.MapTimeline();
app.MapMessaging();
app.MapNews();
app.MapAssessment();
app.MapAttendance();
app.MapApps();
app.MapOpenIdConnectProvider();
app.MapCas();
app.MapDiagnostics();
app.AnswerHeadWhereGet();            // last: every GET endpoint mapped above answers HEAD too
await app.RunAsync();

/// <summary>Entry point; public so that integration tests can host it.</summary>
public partial class Program;
