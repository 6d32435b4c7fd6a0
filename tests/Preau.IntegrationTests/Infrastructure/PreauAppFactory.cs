using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>The real Préau app on its own fresh database. Extra settings override defaults; <paramref name="logs"/>
/// also receives what the app logs.</summary>
public sealed class PreauAppFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        QueryCounter.Listen();
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider);
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Storage:DataDirectory", Database.DataDirectory);
        // Hundreds of tests sign in at once on two cores: let sign-ins queue rather than be held,
        // unless a test sets the lane itself (its settings below win).
        builder.UseSetting("Accounts:HashingQueue", "1024");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (logs is not null)
        {
            builder.ConfigureLogging(l => l.AddProvider(logs));
        }
    }
}
