using Preau.Web.Features.Accounts;
using Preau.Web.Features.Diagnostics;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Gate;
using Preau.Web.Features.Health;
using Preau.Web.Features.Homework;
using Preau.Web.Features.Import;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.Seed;
using Preau.Web.Features.Timetable;
using Preau.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(Commands.HostArguments(args));
builder.AddPreauData();
builder.AddPreauErrors();
builder.AddPreauWeb();
builder.AddAccounts();
builder.AddDirectory();
builder.AddGate();
builder.AddPreauTelemetry();
builder.AddHealth();
builder.AddSeed();
builder.AddMessaging();
builder.AddHomework();
builder.AddTimetable();
builder.AddImport();

var app = builder.Build();
if (await app.RunCommandAsync(args))
{
    return;
}

await app.Services.PrepareDatabaseAsync();
await app.SeedDemoSchoolAsync();
app.UsePreauErrors();
app.UsePreauWeb();
app.UseGate();
app.UsePreauPages();
app.MapPreauMetrics();
app.MapHealth();
app.MapGate();
app.MapAccounts();
app.MapMessaging();
app.MapHomework();
app.MapTimetable();
app.MapImport();
app.MapDiagnostics();
await app.RunAsync();

/// <summary>Entry point; public so that integration tests can host it.</summary>
public partial class Program;
