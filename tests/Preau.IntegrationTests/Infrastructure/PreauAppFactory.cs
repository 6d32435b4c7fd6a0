using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Preau.Data;
using Preau.Web.Infrastructure;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>The real Préau app on its own fresh database. Extra settings override defaults; <paramref name="logs"/>
/// also receives what the app logs. It signs its tokens with one certificate made once per test run, as a region
/// that configures <c>Sso:SigningCertificate</c> does: a node without one makes two 2048-bit RSA keys at its first
/// request, an eighth of the whole suite's CPU over its ~400 apps. Tests of the stored keys pass
/// <see cref="StoredSsoKeys"/>. A new SQLite database starts as a copy of one migrated once per run (the app's
/// migration on start then finds nothing to apply), rather than migrated again by each app.</summary>
public sealed class PreauAppFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    : WebApplicationFactory<Program>
{
    private static readonly Lazy<string> s_certificate = new(MakeCertificate);
    private static readonly Lazy<string> s_migratedSqlite = new(MakeMigratedSqlite);

    /// <summary>The default of a node without a configured certificate: keys made and kept in its database.</summary>
    public static IReadOnlyDictionary<string, string?> StoredSsoKeys { get; } =
        new Dictionary<string, string?> { ["Sso:SigningCertificate"] = "" };

    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        QueryCounter.Listen();
        var file = Path.Combine(Database.DataDirectory, "preau.db");
        if (Database.Provider == "Sqlite" && !File.Exists(file))
        {
            File.Copy(s_migratedSqlite.Value, file);
        }

        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider);
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Storage:DataDirectory", Database.DataDirectory);
        // Hundreds of tests sign in at once on two cores: let sign-ins queue rather than be held,
        // unless a test sets the lane itself (its settings below win).
        builder.UseSetting("Accounts:HashingQueue", "1024");
        builder.UseSetting("Sso:SigningCertificate", s_certificate.Value);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (logs is not null)
        {
            builder.ConfigureLogging(l => l.AddProvider(logs));
        }
    }

    private static string MakeCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Préau tests", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var path = Path.Combine(Directory.CreateTempSubdirectory("preau-test-sso-").FullName, "sso.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }

    /// <summary>A test database of its own, migrated and kept for the run (never disposed).</summary>
    private static string MakeMigratedSqlite()
    {
        var template = TestDatabase.Create("Sqlite");
        var settings = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = template.ConnectionString };
        var options = new DbContextOptionsBuilder<PreauDbContext>();
        DatabaseSetup.Configure(options, settings, new StorageOptions { DataDirectory = template.DataDirectory });
        using var db = new PreauDbContext(options.Options);
        db.Database.Migrate();
        return Path.Combine(template.DataDirectory, "preau.db");
    }
}
