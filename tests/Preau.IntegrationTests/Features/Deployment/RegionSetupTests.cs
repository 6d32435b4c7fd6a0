using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Preau.Data;
using Preau.Data.Directory;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;
using Preau.Web.Infrastructure;

namespace Preau.IntegrationTests.Features.Deployment;

/// <summary>What an operator does on a region database before any node starts: migrate, create the first
/// administrator; and what the nodes and load balancer then see.</summary>
public sealed partial class RegionSetupTests
{
    [GeneratedRegex(@"Code d'activation \(affiché une seule fois, valable 7 jours\) : ([A-Z0-9-]+)")]
    private static partial Regex ActivationCodePattern();

    private static async Task<(int Code, string Output, string Error)> CreateAdminAsync(PreauAppFactory app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FirstAdminCommand.RunAsync(app.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task CreateAdmin_NewRegion_PrintsCodeOnceThatActivatesARegionAdministrator()
    {
        await using var db = TestDatabase.Create("Postgres");
        await using var app = new PreauAppFactory(db);

        var (code, output, error) = await CreateAdminAsync(app, "--region", "norm", "--region-name", "Académie de Normandie",
            "--login", "Alix.Durand", "--first-name", "Alix", "--last-name", "DURAND");

        Assert.True(code == 0, error);
        var secret = ActivationCodePattern().Match(output).Groups[1].Value;
        Assert.NotEmpty(secret);
        var (region, profile, stored) = await app.WithDbAsync(async d =>
        {
            var account = await d.Accounts.AsNoTracking().Include(a => a.Person).SingleAsync();
            var r = await d.Regions.AsNoTracking().SingleAsync(x => x.Id == account.Person!.RegionId);
            return (r, account.Person!.Profile, account);
        });
        Assert.Equal(("NORM", "Académie de Normandie"), (region.Code, region.Name));
        Assert.Equal(Profile.RegionAdmin, profile);
        Assert.Equal("alix.durand", stored.Login);
        Assert.Null(stored.PasswordHash);
        Assert.DoesNotContain(secret, stored.ActivationCodeHash, StringComparison.OrdinalIgnoreCase);

        using var client = app.CreateClient();
        var activated = await client.PostJsonAsync("/api/v1/auth/activate", new { login = "alix.durand", code = secret, newPassword = "une phrase de passe solide" });
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/admin/portail", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task CreateAdmin_LoginTakenOrRegionUnknown_RefusedInFrenchAndNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var first = await CreateAdminAsync(app, "--region", "NORM", "--region-name", "Normandie", "--login", "alix.durand", "--first-name", "Alix", "--last-name", "DURAND");
        Assert.Equal(0, first.Code);

        var taken = await CreateAdminAsync(app, "--region", "NORM", "--login", "alix.durand", "--first-name", "Alix", "--last-name", "DURAND");
        var unknown = await CreateAdminAsync(app, "--region", "BRET", "--login", "yann.le-gall", "--first-name", "Yann", "--last-name", "LE GALL");
        var missing = await CreateAdminAsync(app, "--region", "NORM", "--login", "sans.nom");
        var accented = await CreateAdminAsync(app, "--region", "NORM", "--login", "zoé.martin", "--first-name", "Zoé", "--last-name", "MARTIN");

        Assert.Equal((FirstAdminCommand.Refused, FirstAdminCommand.Refused), (taken.Code, unknown.Code));
        Assert.Contains("existe déjà", taken.Error, StringComparison.Ordinal);
        Assert.Contains("--region-name", unknown.Error, StringComparison.Ordinal);
        Assert.Equal((FirstAdminCommand.BadArguments, FirstAdminCommand.BadArguments), (missing.Code, accented.Code));
        Assert.Contains("--first-name est obligatoire", missing.Error, StringComparison.Ordinal);
        Assert.Equal((1, 1), await app.WithDbAsync(async d => (await d.Accounts.CountAsync(), await d.Regions.CountAsync())));
    }

    [Fact]
    public async Task Start_RegionDatabaseWithoutDemoSetting_CreatesNoDemoSchool()
    {
        await using var db = TestDatabase.Create("Postgres");
        // Not the Testing environment: the default the operator gets.
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["environment"] = "Production" });
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.Regions.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(d => d.Accounts.CountAsync()));
    }

    [Fact]
    public async Task Migrate_EmptyRegionDatabase_NodeRefusedThenMigrateAppliesAndSaysUpToDate()
    {
        await using var db = TestDatabase.Create("Postgres");
        // The services a node has, with the region's rule: PostgreSQL is never migrated on start.
        var settings = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = db.ConnectionString };
        var storage = new StorageOptions { DataDirectory = db.DataDirectory };
        await using var services = new ServiceCollection()
            .AddSingleton(Options.Create(settings))
            .AddDbContext<PreauDbContext>(o => DatabaseSetup.Configure(o, settings, storage))
            .BuildServiceProvider();

        var refused = await Assert.ThrowsAsync<DatabaseNotMigratedException>(() => services.PrepareDatabaseAsync());
        using var output = new StringWriter();
        using var error = new StringWriter();
        var first = await Commands.MigrateAsync(services, output, error);
        var again = await Commands.MigrateAsync(services, output, error);

        Assert.Contains("migrations en attente", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith(" migrate", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run", refused.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (first, again));
        Assert.Matches(@"^Base de données à jour : \d+ migrations appliquées\.\r?\nBase de données déjà à jour : aucune migration à appliquer\.", output.ToString());
        Assert.Empty(error.ToString());
        await services.PrepareDatabaseAsync();
    }

    [Fact]
    public async Task Readyz_DatabaseGoesDown_Returns503WhileHealthzStays200()
    {
        await using var db = TestDatabase.Create("Postgres");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        var server = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = "postgres" };
        await using (var admin = new NpgsqlConnection(server.ToString()))
        {
            await admin.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(db.ConnectionString).Database;
            await using var drop = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var alive = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("La base de données ne répond pas.", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Readyz_RedisUnreachable_StaysInTheLoadBalancerAsDegraded()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Gate:Redis"] = "127.0.0.1:1,connectTimeout=500" });
        using var client = app.CreateClient();

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"degraded\"", body, StringComparison.Ordinal);
        Assert.Contains("Redis ne répond pas", body, StringComparison.Ordinal);
    }
}
