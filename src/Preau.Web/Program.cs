using Preau.Web.Features.Accounts;
using Preau.Web.Features.Gate;
using Preau.Web.Features.Health;
using Preau.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddPreauData();
builder.AddPreauErrors();
builder.AddPreauWeb();
builder.AddAccounts();
builder.AddGate();
builder.AddPreauTelemetry();

var app = builder.Build();
if (await app.RunCommandAsync(args))
{
    return;
}

await app.Services.PrepareDatabaseAsync();
app.UsePreauErrors();
app.UsePreauWeb();
app.UseGate();
app.UsePreauPages();
app.MapPreauMetrics();
app.MapHealth();
app.MapGate();
app.MapAccounts();
await app.RunAsync();

/// <summary>Entry point; public so that integration tests can host it.</summary>
public partial class Program;
