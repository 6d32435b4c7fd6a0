using Preau.Web.Features.Accounts;
using Preau.Web.Features.Diagnostics;
using Preau.Web.Features.Health;
using Preau.Web.Features.Homework;
using Preau.Web.Features.Timetable;
using Preau.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddPreauData();
builder.AddPreauErrors();
builder.AddPreauWeb();
builder.AddAccounts();
builder.AddHomework();
builder.AddTimetable();

var app = builder.Build();
if (await app.RunCommandAsync(args))
{
    return;
}

await app.Services.PrepareDatabaseAsync();
app.UsePreauErrors();
app.UsePreauWeb();
app.MapHealth();
app.MapAccounts();
app.MapHomework();
app.MapTimetable();
app.MapDiagnostics();
await app.RunAsync();

/// <summary>Entry point; public so that integration tests can host it.</summary>
public partial class Program;
