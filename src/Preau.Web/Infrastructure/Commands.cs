using Preau.Web.Features.Accounts;
using Preau.Web.Features.Import;
using Preau.Web.Features.Seed;

namespace Preau.Web.Infrastructure;

/// <summary>One-shot commands that share the web app's configuration: <c>migrate</c>, <c>create-admin</c>,
/// <c>seed</c>, <c>import</c>. On a published host: <c>dotnet Preau.Web.dll migrate</c> or <c>./Preau.Web migrate</c>.</summary>
internal static class Commands
{
    /// <summary>What the host's configuration should read: a command's own options are not
    /// configuration, and some of them would swallow the configuration key that follows.
    /// The seed reports database failures itself, in French, after rolling back: EF Core's own
    /// error logs (SQL, stack traces) are silenced for it unless the command line asks for them.</summary>
    public static string[] HostArguments(string[] args) => args.FirstOrDefault() switch
    {
        "seed" => ["--Logging:LogLevel:Microsoft.EntityFrameworkCore=None", .. SeedArguments.ConfigurationArguments(args[1..])],
        // import's options (--school, --eleves…) are not configuration; the same filter as the seed's keeps --Section:Key pairs.
        "migrate" => ["--Logging:LogLevel:Microsoft.EntityFrameworkCore=None", .. args[1..]],
        "create-admin" => ["--Logging:LogLevel:Microsoft.EntityFrameworkCore=None", .. SeedArguments.ConfigurationArguments(args[1..])],
        "import" => ["--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning", .. SeedArguments.ConfigurationArguments(args[1..])],
        _ => args,
    };

    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "migrate":
                Environment.ExitCode = await MigrateAsync(app.Services, Console.Out, Console.Error);
                return true;
            case "create-admin":
                Environment.ExitCode = await FirstAdminCommand.RunAsync(app.Services, args[1..], Console.Out, Console.Error);
                return true;
            case "seed":
                Environment.ExitCode = await SeedCommand.RunFromConsoleAsync(app.Services, args[1..]);
                return true;
            case "import":
                Environment.ExitCode = await ImportCommand.RunAsync(app.Services, args[1..], Console.Out, Console.Error);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Applies pending migrations; one French line either way. Exit code 0, or 1 with the reason.</summary>
    public static async Task<int> MigrateAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        try
        {
            var applied = await services.MigrateAsync();
            await output.WriteLineAsync(applied switch
            {
                0 => "Base de données déjà à jour : aucune migration à appliquer.",
                1 => "Base de données à jour : 1 migration appliquée.",
                _ => $"Base de données à jour : {applied} migrations appliquées.",
            });
            return 0;
        }
        catch (Exception e) when (StartChecks.IsDatabaseFailure(e))
        {
            await error.WriteLineAsync($"Migration impossible : base de données inaccessible ({StartChecks.FirstLine(e)}).");
            return StartChecks.DatabaseNotReady;
        }
    }
}
