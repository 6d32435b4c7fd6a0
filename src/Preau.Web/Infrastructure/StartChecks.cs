using System.Data.Common;
using Microsoft.Extensions.Options;
using Preau.Web.Shared.Files;

namespace Preau.Web.Infrastructure;

/// <summary>
/// What a node checks before it serves anyone, and how it says no: one French line on the error
/// output and a non-zero exit code, never a stack trace. An operator reads the line in
/// <c>journalctl</c>; systemd reads the exit code.
/// </summary>
internal static class StartChecks
{
    /// <summary>Exit code of a node or command whose configuration is invalid.</summary>
    public const int BadConfiguration = 2;

    /// <summary>Exit code of a node or command whose database is unreachable or not migrated.</summary>
    public const int DatabaseNotReady = 1;

    /// <summary>The host's options. Published once and started from anywhere (systemd, a script in
    /// another folder): appsettings.json and wwwroot are looked for next to Preau.Web.dll, not in the
    /// working directory, unless a content root is given explicitly (tests host the app that way).</summary>
    public static WebApplicationOptions HostOptions(string[] args) => new()
    {
        Args = Commands.HostArguments(args),
        ContentRootPath = ContentRootGiven(args) ? null : AppContext.BaseDirectory,
    };

    private static bool ContentRootGiven(string[] args) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
        || args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs every <c>ValidateOnStart</c> validation now, before commands and the database,
    /// so that a wrong setting is reported as such and not as whatever it breaks later.</summary>
    public static bool ConfigurationIsValid(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException)
        {
            var failures = e is AggregateException all
                ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(f => f.Failures)
                : ((OptionsValidationException)e).Failures;
            Refuse(BadConfiguration, "configuration invalide : " + string.Join(" ", failures));
            return false;
        }
    }

    /// <summary>The database a node is about to serve: migrated on start where that is the rule
    /// (SQLite), otherwise reachable and up to date, or the node exits naming the command to run.</summary>
    public static async Task<bool> DatabaseIsReadyAsync(this WebApplication app)
    {
        try
        {
            await app.Services.PrepareDatabaseAsync();
            return true;
        }
        catch (DatabaseNotMigratedException e)
        {
            Refuse(DatabaseNotReady, e.Message);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            Refuse(DatabaseNotReady, "base de données inaccessible (" + FirstLine(e) + ").");
        }

        return false;
    }

    /// <summary>Connection refused, authentication failed, a timeout: the database's fault, not Préau's.</summary>
    public static bool IsDatabaseFailure(Exception e) =>
        e is DbException or TimeoutException || e.InnerException is DbException or TimeoutException;

    /// <summary>The command an operator types on this host to migrate: the published apphost, or
    /// <c>dotnet Preau.Web.dll</c> when started through dotnet.</summary>
    public static string MigrateCommandLine()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"dotnet {typeof(StartChecks).Assembly.GetName().Name}.dll migrate"
            : $"{process} migrate";
    }

    public static string FirstLine(Exception e)
    {
        var root = e is DbException or TimeoutException ? e : e.InnerException ?? e;
        return root.Message.Split('\n', 2)[0].Trim();
    }

    /// <summary>In a region, the data directory must be the one every node mounts (see <see cref="SharedDirectoryCheck"/>).</summary>
    public static async Task<bool> SharedStorageIsReadyAsync(this WebApplication app)
    {
        try
        {
            await app.Services.GetRequiredService<SharedDirectoryCheck>().CheckAsync(CancellationToken.None);
            return true;
        }
        catch (StartRefusedException e)
        {
            Refuse(BadConfiguration, e.Message);
            return false;
        }
        catch (IOException e)
        {
            Refuse(BadConfiguration, "dossier de données illisible ou impossible à créer (" + e.Message + ").");
            return false;
        }
        catch (UnauthorizedAccessException e)
        {
            Refuse(BadConfiguration, "dossier de données interdit en écriture (" + e.Message + ").");
            return false;
        }
    }

    private static void Refuse(int exitCode, string reason)
    {
        Console.Error.WriteLine("Préau ne démarre pas : " + reason);
        Environment.ExitCode = exitCode;
    }
}

/// <summary>A check made while the node starts found a setting the operator must fix; its message is one French
/// line (lower-case start: it follows "Préau ne démarre pas : "). The node exits with
/// <see cref="StartChecks.BadConfiguration"/>, without a stack trace.</summary>
internal sealed class StartRefusedException(string message) : Exception(message);

/// <summary>PostgreSQL schema older than this build: the operator must run <c>migrate</c>.</summary>
internal sealed class DatabaseNotMigratedException(string message) : InvalidOperationException(message);
