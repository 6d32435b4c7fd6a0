using System.Globalization;

namespace Preau.Web.Features.Seed;

/// <summary>The options of <c>seed</c>, read by hand: the command line is shared with the host's
/// configuration (<c>--Database:Provider=Postgres</c>), whose keys are left to it.</summary>
internal sealed record SeedArguments
{
    public const int DefaultSeed = 2026;
    public const int MaxPupils = 200_000;

    public int Schools { get; init; } = 1;
    public int PupilsPerSchool { get; init; } = 100;
    public string AccountsOut { get; init; } = "";
    public bool Force { get; init; }
    public bool ActivationCodes { get; init; }
    public int ActivationDays { get; init; } = 30;
    public int Seed { get; init; } = DefaultSeed;
    public bool Help { get; init; }

    public const string Usage = """
        Usage : dotnet run --project src/Preau.Web -- seed --schools N --students-per-school M --accounts-out comptes.csv [options]

        Crée une région de démonstration réaliste et déterministe (collèges, classes de 6e à 3e,
        enseignants, personnels, parents) et écrit un fichier CSV avec une ligne par compte créé :
        login,password,profile,school,class.

          --schools N               nombre de collèges (1 à 1000, défaut 1)
          --students-per-school M   élèves par collège (1 à 5000, défaut 100 ; 200 000 élèves au plus en tout)
          --accounts-out FICHIER    fichier CSV à écrire (obligatoire ; contient des secrets)
          --force                   remplace le fichier CSV s'il existe déjà
          --activation-codes        codes d'activation à usage unique au lieu de mots de passe
          --activation-days J       validité des codes d'activation en jours (1 à 365, défaut 30)
          --seed S                  graine du générateur (défaut 2026) ; mêmes options, mêmes personnes
          --help                    affiche cette aide

        La base visée est celle de la configuration (SQLite par défaut ; PostgreSQL avec
        --Database:Provider=Postgres --Database:ConnectionString=...).
        """;

    // Host switches that WebApplication reads from the same command line.
    private static readonly string[] HostSwitches = ["environment", "urls", "contentroot", "applicationname"];

    /// <summary>
    /// The configuration keys among the seed's arguments, for the host. The host's command-line
    /// provider reads a switch without '=' as taking the next argument as its value, so
    /// <c>--activation-codes --Database:Provider=Postgres</c> would lose the provider; the host
    /// gets only what is meant for it.
    /// </summary>
    public static string[] ConfigurationArguments(IReadOnlyList<string> args)
    {
        var kept = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            var key = equals >= 0 ? name[..equals] : name;
            if (IsConfigurationKey(key))
            {
                kept.Add(args[i]);
                if (equals < 0 && i + 1 < args.Count)
                {
                    kept.Add(args[++i]);
                }
            }
        }

        return [.. kept];
    }

    private static bool IsConfigurationKey(string name) =>
        name.Contains(':', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal)
        || HostSwitches.Contains(name.ToLowerInvariant());

    /// <summary>Returns the arguments, or a French error message.</summary>
    public static (SeedArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        var result = new SeedArguments();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return (null, $"Argument inattendu « {arg} ». Les options commencent par -- (voir --help).");
            }

            var name = arg[2..];
            string? inline = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            if (IsConfigurationKey(name))
            {
                // A configuration key: the host has read it already. Skip its value too.
                if (inline is null)
                {
                    i++;
                }

                continue;
            }

            if (!seen.Add(name))
            {
                return (null, $"L'option --{name} est donnée deux fois.");
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                // "--schools --force": the value is missing, not "--force". "-3" is still a value (refused later).
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new FormatException($"L'option --{name} attend une valeur.");
                }

                return args[++i];
            }

            int Number(int min, int max)
            {
                var text = Value();
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                {
                    throw new FormatException($"L'option --{name} attend un nombre entier de {min} à {max}, et non « {text} ».");
                }

                return n;
            }

            void NoValue()
            {
                if (inline is not null)
                {
                    throw new FormatException($"L'option --{name} ne prend pas de valeur.");
                }
            }

            try
            {
                switch (name)
                {
                    case "schools": result = result with { Schools = Number(1, 1000) }; break;
                    case "students-per-school": result = result with { PupilsPerSchool = Number(1, 5000) }; break;
                    case "accounts-out": result = result with { AccountsOut = Value() }; break;
                    case "force": NoValue(); result = result with { Force = true }; break;
                    case "activation-codes": NoValue(); result = result with { ActivationCodes = true }; break;
                    case "activation-days": result = result with { ActivationDays = Number(1, 365) }; break;
                    case "seed": result = result with { Seed = Number(0, int.MaxValue) }; break;
                    case "help": NoValue(); result = result with { Help = true }; break;
                    default: return (null, $"Option inconnue « --{name} » (voir --help).");
                }
            }
            catch (FormatException e)
            {
                return (null, e.Message);
            }
        }

        if (!result.Help && string.IsNullOrWhiteSpace(result.AccountsOut))
        {
            return (null, "L'option --accounts-out est obligatoire : c'est le fichier CSV des identifiants à distribuer.");
        }

        // The whole region is built in memory and written in one transaction: ~1 KB per person.
        if ((long)result.Schools * result.PupilsPerSchool > MaxPupils)
        {
            return (null, string.Create(CultureInfo.GetCultureInfo("fr-FR"),
                $"La région demandée compte {(long)result.Schools * result.PupilsPerSchool:N0} élèves : le maximum est de {MaxPupils:N0} par exécution (lancez plusieurs graines avec --seed)."));
        }

        if (!result.Help && !result.ActivationCodes && seen.Contains("activation-days"))
        {
            return (null, "L'option --activation-days ne s'emploie qu'avec --activation-codes.");
        }

        return (result, null);
    }
}
