using Preau.Web.Features.Import;
using Preau.Web.Features.Seed;

namespace Preau.Web.Infrastructure;

/// <summary>One-shot commands that share the web app's configuration: <c>migrate</c>, <c>seed</c>.</summary>
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
        "import" => ["--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning", .. SeedArguments.ConfigurationArguments(args[1..])],
        _ => args,
    };

    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "migrate":
                await app.Services.MigrateAsync();
                Console.WriteLine("Base de données à jour.");
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
}
