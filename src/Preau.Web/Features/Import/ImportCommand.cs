using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.Seed;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Import;

/// <summary>
/// <c>import --school UAI [--create-school "Nom"] [--region CODE] [--eleves F] [--responsables F] [--sts F] [--csv F]
/// [--dry-run] [--accounts-out F] [--report-json F]</c>. Exit codes: 0 done, 1 file refused or import
/// failed (nothing written), 2 bad arguments.
/// </summary>
internal static class ImportCommand
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int BadArguments = 2;

    public const string Usage = """
        Usage : import --school UAI [--create-school "Nom"] [--region CODE] [--eleves F] [--responsables F] [--sts F] [--csv F]
                       [--dry-run] [--accounts-out F] [--report-json F]
          --eleves        export SIECLE des élèves (BEE_ELEVES, XML)
          --responsables  export SIECLE des responsables (BEE_RESPONSABLES, XML)
          --sts           export STS-web des personnels et services (STS_EDT, XML)
          --csv           fichier CSV documenté dans le README (à la place des exports)
          --dry-run       n'écrit rien : affiche ce qui serait créé, modifié, déplacé, désactivé
          --accounts-out  CSV des nouveaux comptes et de leurs codes d'activation (format du seed)
          --report-json   rapport {"created","updated","unchanged","moved","deactivated","errors"}
        """;

    private static readonly string[] s_flags = ["--dry-run", "--help"];

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error,
        CancellationToken ct = default)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].Contains(':', StringComparison.Ordinal) && args[i].StartsWith("--", StringComparison.Ordinal))
            {
                // Configuration (--Database:Provider Sqlite): the host has read it already.
                i += args[i].Contains('=', StringComparison.Ordinal) ? 0 : 1;
            }
            else if (s_flags.Contains(args[i]))
            {
                options[args[i]] = "";
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                options[args[i]] = args[++i];
            }
            else
            {
                await error.WriteLineAsync($"Erreur : argument inattendu « {args[i]} ».{Environment.NewLine}{Usage}");
                return BadArguments;
            }
        }

        if (options.ContainsKey("--help"))
        {
            await output.WriteLineAsync(Usage);
            return Ok;
        }

        var unknown = options.Keys.Except(["--school", "--create-school", "--region", "--eleves", "--responsables", "--sts", "--csv", "--dry-run",
            "--accounts-out", "--report-json"]).ToList();
        if (unknown.Count > 0 || !options.TryGetValue("--school", out var uai) || uai.Length == 0)
        {
            await error.WriteLineAsync($"Erreur : {(unknown.Count > 0 ? $"option inconnue {unknown[0]}" : "--school UAI est obligatoire")}.{Environment.NewLine}{Usage}");
            return BadArguments;
        }

        var files = new[] { "--eleves", "--responsables", "--sts", "--csv" }.Where(options.ContainsKey).ToList();
        if (files.Count == 0)
        {
            await error.WriteLineAsync("Erreur : indiquez au moins un fichier (--eleves, --responsables, --sts ou --csv).");
            return BadArguments;
        }

        foreach (var file in files.Where(f => !File.Exists(options[f])))
        {
            await error.WriteLineAsync($"Erreur : le fichier « {options[file]} » ({file}) n'existe pas.");
            return BadArguments;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        await scope.ServiceProvider.PrepareDatabaseAsync(ct);
        uai = uai.Trim().ToUpperInvariant();
        var schoolId = await db.Schools.Where(s => s.Uai == uai).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        if (schoolId is null)
        {
            if (!options.TryGetValue("--create-school", out var name))
            {
                await error.WriteLineAsync($"Erreur : l'établissement {uai} n'existe pas. Ajoutez --create-school \"Nom\" pour le créer.");
                return Refused;
            }

            var (created, problem) = await CreateSchoolAsync(db, uai, name, options.GetValueOrDefault("--region"), ct);
            if (created is null)
            {
                await error.WriteLineAsync($"Erreur : {problem}");
                return BadArguments;
            }

            schoolId = created;
        }

        var dryRun = options.ContainsKey("--dry-run");
        var streams = files.ToDictionary(f => f, f => (Stream)File.OpenRead(options[f]));
        ImportReport report;
        try
        {
            var importer = scope.ServiceProvider.GetRequiredService<SchoolImporter>();
            report = await importer.ImportAsync(schoolId.Value, new ImportSources(streams.GetValueOrDefault("--eleves"),
                streams.GetValueOrDefault("--responsables"), streams.GetValueOrDefault("--sts"), streams.GetValueOrDefault("--csv")), dryRun, ct);
        }
        finally
        {
            foreach (var stream in streams.Values)
            {
                await stream.DisposeAsync();
            }
        }

        if (options.TryGetValue("--report-json", out var reportPath))
        {
            await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report), ct);
        }

        if (report.Refused is not null)
        {
            await error.WriteLineAsync($"Refusé : {report.Refused}");
            return Refused;
        }

        if (!dryRun && options.TryGetValue("--accounts-out", out var accountsPath) && report.NewAccounts.Count > 0)
        {
            await using var csv = AccountsCsv.CreateTemporary(accountsPath);
            AccountsCsv.Write(csv, report.NewAccounts);
            await csv.DisposeAsync();
            File.Move(AccountsCsv.TemporaryPath(accountsPath), accountsPath, overwrite: true);
        }

        await output.WriteLineAsync(Summary(report, uai));
        return Ok;
    }

    public static string Summary(ImportReport report, string uai)
    {
        var french = CultureInfo.GetCultureInfo("fr-FR");
        var errors = string.Join(Environment.NewLine, report.Errors.Take(50).Select(e => $"  - {e.Record} : {e.Message}"));
        return string.Create(french, $"""
            {(report.DryRun ? "Simulation (rien n'a été écrit)" : "Import terminé")} pour {uai} :
              {report.Created:N0} créés, {report.Updated:N0} modifiés, {report.Moved:N0} changés de classe, {report.Deactivated:N0} désactivés, {report.Unchanged:N0} inchangés ;
              {report.GroupsCreated} classes ou groupes créés, {report.AssignmentsAdded} enseignements ajoutés, {report.AssignmentsRemoved} retirés.
              {report.Errors.Count} enregistrement(s) en erreur.{(errors.Length > 0 ? Environment.NewLine + errors : "")}
            """);
    }

    /// <summary>A new school in the given region, or the only one; a first import on an empty database creates the region.</summary>
    private static async Task<(Guid? Id, string? Problem)> CreateSchoolAsync(PreauDbContext db, string uai, string name, string? regionCode,
        CancellationToken ct)
    {
        if (uai.Length != 8 || !uai[..7].All(char.IsAsciiDigit) || !char.IsAsciiLetterUpper(uai[7]))
        {
            return (null, $"« {uai} » n'est pas un code UAI (7 chiffres et une lettre).");
        }

        var regions = await db.Regions.Where(r => regionCode == null || r.Code == regionCode).OrderBy(r => r.Code).Select(r => r.Id).Take(2).ToListAsync(ct);
        Guid regionId;
        if (regions.Count == 1)
        {
            regionId = regions[0];
        }
        else if (regions.Count == 0 && regionCode is null)
        {
            var region = new Region { Code = "ACADEMIE", Name = "Académie" };
            db.Regions.Add(region);
            regionId = region.Id;
        }
        else
        {
            return (null, regionCode is null ? "plusieurs régions dans cette base : précisez --region CODE." : $"région {regionCode} inconnue.");
        }

        var school = new School { RegionId = regionId, Uai = uai, Name = name.Trim(), City = "" };
        db.Schools.Add(school);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return (school.Id, null);
    }
}
