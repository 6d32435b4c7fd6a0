using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Accounts;

/// <summary>
/// <c>create-admin</c>: the first region administrator of a region database, which no node creates
/// by itself. The account gets a one-time activation code, printed once here and never stored in
/// clear; the administrator chooses a password on <c>/activation</c>. Exit codes: 0 created,
/// 1 refused (login taken, unknown region, database unreachable), 2 bad arguments.
/// </summary>
internal static class FirstAdminCommand
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int BadArguments = 2;
    public const int ActivationDays = 7;

    public const string Usage = """
        Usage : create-admin --region CODE [--region-name "Nom"] --login prenom.nom --first-name Prénom --last-name NOM
          --region       code de la région (créée si --region-name est donné et qu'elle n'existe pas)
          --region-name  nom de la région à créer
          --login        identifiant de l'administrateur (lettres, chiffres, . - _)
          --first-name   prénom
          --last-name    nom
        Affiche une seule fois un code d'activation valable 7 jours, à saisir sur /activation.
        """;

    private static readonly string[] s_required = ["--region", "--login", "--first-name", "--last-name"];
    private static readonly string[] s_known = [.. s_required, "--region-name"];

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error,
        CancellationToken ct = default)
    {
        if (args.Contains("--help"))
        {
            await output.WriteLineAsync(Usage);
            return Ok;
        }

        var (options, problem) = Read(args);
        if (options is null)
        {
            await error.WriteLineAsync($"Erreur : {problem}{Environment.NewLine}{Usage}");
            return BadArguments;
        }

        var login = options["--login"].Trim().ToLowerInvariant();
        if (!login.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            await error.WriteLineAsync($"Erreur : l'identifiant « {login} » ne doit contenir que des lettres sans accent, des chiffres, « . », « - » ou « _ ».");
            return BadArguments;
        }

        try
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.PrepareDatabaseAsync(ct);
            var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            return await CreateAsync(db, options, login, output, error, ct);
        }
        catch (DatabaseNotMigratedException e)
        {
            await error.WriteLineAsync($"Erreur : {e.Message}");
        }
        catch (Exception e) when (StartChecks.IsDatabaseFailure(e) || e is DbUpdateException)
        {
            await error.WriteLineAsync($"Erreur : base de données inaccessible ({StartChecks.FirstLine(e)}).");
        }

        return Refused;
    }

    private static async Task<int> CreateAsync(PreauDbContext db, Dictionary<string, string> options, string login, TextWriter output,
        TextWriter error, CancellationToken ct)
    {
        if (await db.Accounts.AnyAsync(a => a.Login == login, ct))
        {
            await error.WriteLineAsync($"Erreur : l'identifiant « {login} » existe déjà ; rien n'a été créé.");
            return Refused;
        }

        var code = options["--region"].Trim().ToUpperInvariant();
        var region = await db.Regions.FirstOrDefaultAsync(r => r.Code == code, ct);
        if (region is null)
        {
            if (!options.TryGetValue("--region-name", out var name) || string.IsNullOrWhiteSpace(name))
            {
                await error.WriteLineAsync($"Erreur : la région {code} n'existe pas. Ajoutez --region-name \"Nom\" pour la créer.");
                return Refused;
            }

            region = new Region { Code = code, Name = name.Trim() };
            db.Regions.Add(region);
        }

        var admin = new Person
        {
            RegionId = region.Id, Profile = Profile.RegionAdmin, FirstName = options["--first-name"].Trim(), LastName = options["--last-name"].Trim(),
        };
        var secret = ActivationCodes.Generate();
        var now = DateTimeOffset.UtcNow;
        db.People.Add(admin);
        db.Accounts.Add(new Account
        {
            PersonId = admin.Id, Login = login, CreatedAt = now,
            ActivationCodeHash = ActivationCodes.Hash(secret), ActivationExpiresAt = now.AddDays(ActivationDays),
        });
        await db.SaveChangesAsync(ct);

        await output.WriteLineAsync($"Administrateur de la région {region.Code} créé : {admin.FirstName} {admin.LastName}.");
        await output.WriteLineAsync($"Identifiant : {login}");
        await output.WriteLineAsync($"Code d'activation (affiché une seule fois, valable {ActivationDays} jours) : {secret}");
        await output.WriteLineAsync("Ouvrez /activation sur Préau, saisissez l'identifiant et ce code, puis choisissez un mot de passe.");
        return Ok;
    }

    /// <summary>Pairs <c>--name value</c>; configuration keys (<c>--Section:Key</c>) were read by the host.</summary>
    private static (Dictionary<string, string>? Options, string? Problem) Read(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < args.Count)
        {
            var name = args[i];
            var isConfiguration = name.Contains(':', StringComparison.Ordinal);
            if (!isConfiguration && !s_known.Contains(name))
            {
                return (null, $"option inconnue « {name} ».");
            }

            var inline = name.Contains('=', StringComparison.Ordinal);
            if (!inline && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                return (null, $"il manque la valeur de {name}.");
            }

            if (!isConfiguration)
            {
                options[name] = args[i + 1];
            }

            i += inline ? 1 : 2;
        }

        var missing = s_required.FirstOrDefault(r => !options.TryGetValue(r, out var v) || string.IsNullOrWhiteSpace(v));
        return missing is null ? (options, null) : (null, $"{missing} est obligatoire.");
    }
}
