using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Seed;

/// <summary>
/// <c>seed</c>: creates a demo or benchmark region and the CSV sheet of its accounts.
/// Exit codes: 0 done, 1 failed (nothing written), 2 bad arguments (nothing written).
/// </summary>
internal static class SeedCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static string RegionCode(int seed) => string.Create(CultureInfo.InvariantCulture, $"SEED-{seed}");

    /// <summary>From the command line: real console, Ctrl+C cancels (and rolls back).</summary>
    public static async Task<int> RunFromConsoleAsync(IServiceProvider services, IReadOnlyList<string> args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(services, args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, cancel.Token);
    }

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error,
        bool interactive, CancellationToken ct = default)
    {
        var (arguments, problem) = SeedArguments.Parse(args);
        if (arguments is null)
        {
            await error.WriteLineAsync($"Erreur : {problem}");
            return BadArguments;
        }

        if (arguments.Help)
        {
            await output.WriteLineAsync(SeedArguments.Usage);
            return Ok;
        }

        var csvPath = Path.GetFullPath(arguments.AccountsOut);
        if (Directory.Exists(csvPath))
        {
            await error.WriteLineAsync($"Erreur : « {csvPath} » est un dossier ; indiquez un nom de fichier CSV.");
            return BadArguments;
        }

        if (File.Exists(csvPath) && !arguments.Force)
        {
            await error.WriteLineAsync($"Erreur : le fichier « {csvPath} » existe déjà. Ajoutez --force pour le remplacer.");
            return BadArguments;
        }

        if (!Directory.Exists(Path.GetDirectoryName(csvPath)))
        {
            await error.WriteLineAsync($"Erreur : le dossier de « {csvPath} » n'existe pas.");
            return BadArguments;
        }

        FileStream csv;
        try
        {
            File.Delete(AccountsCsv.TemporaryPath(csvPath)); // left by a run that was killed
            csv = AccountsCsv.CreateTemporary(csvPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Erreur : impossible d'écrire « {csvPath} » ({e.Message}).");
            return BadArguments;
        }

        var committed = false;
        try
        {
            return await SeedAsync(services, arguments, csv, csvPath, output, error, interactive, () => committed = true, ct);
        }
        catch (OperationCanceledException) when (!committed)
        {
            await error.WriteLineAsync("Interrompu : rien n'a été enregistré.");
            return Failed;
        }
        catch (IOException e) when (!committed)
        {
            await error.WriteLineAsync($"Erreur : impossible d'écrire « {csvPath} » ({e.Message}) ; rien n'a été enregistré.");
            return Failed;
        }
        finally
        {
            await csv.DisposeAsync();
            if (!committed)
            {
                File.Delete(AccountsCsv.TemporaryPath(csvPath));
            }
        }
    }

    private static async Task<int> SeedAsync(IServiceProvider services, SeedArguments arguments, FileStream csv, string csvPath,
        TextWriter output, TextWriter error, bool interactive, Action onCommitted, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var progress = new SeedProgress(output, interactive);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var regionCode = RegionCode(arguments.Seed);
        List<string> logins, uais;
        try
        {
            await scope.ServiceProvider.PrepareDatabaseAsync(ct);
            if (await db.Regions.AnyAsync(r => r.Code == regionCode, ct))
            {
                await error.WriteLineAsync($"Erreur : la région {regionCode} existe déjà dans cette base. " +
                    "Choisissez une autre graine avec --seed, ou repartez d'une base vide.");
                return Failed;
            }

            logins = await db.Accounts.AsNoTracking().Select(a => a.Login).ToListAsync(ct);
            uais = await db.Schools.AsNoTracking().Select(s => s.Uai).ToListAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync($"Erreur : base de données inaccessible ({e.Message}).");
            return Failed;
        }

        var region = RegionGenerator.Generate(regionCode, $"Académie de démonstration (graine {arguments.Seed})",
            arguments.Schools, arguments.PupilsPerSchool, arguments.Seed, logins, uais);
        await output.WriteLineAsync(string.Create(French,
            $"Région {regionCode} : {arguments.Schools} collège(s), {region.People.Count:N0} comptes à créer ({Mode(arguments)})."));

        var hashing = Stopwatch.StartNew();
        var (accounts, lines) = RegionWriter.CreateAccounts(region, arguments.ActivationCodes, DateTimeOffset.UtcNow,
            arguments.ActivationDays, progress, ct);
        hashing.Stop();

        AccountsCsv.Write(csv, lines);
        await csv.FlushAsync(ct);

        var writing = Stopwatch.StartNew();
        try
        {
            var copy = scope.ServiceProvider.GetRequiredService<IOptions<SeedOptions>>().Value.PostgresCopy;
            await RegionWriter.WriteAsync(db, region, accounts, progress, copy, ct);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("Interrompu : rien n'a été enregistré.");
            return Failed;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"Erreur : l'écriture en base a échoué, rien n'a été enregistré ({e.GetBaseException().Message}).");
            return Failed;
        }

        writing.Stop();
        onCommitted();
        total.Stop();
        try
        {
            await csv.DisposeAsync();
            File.Move(AccountsCsv.TemporaryPath(csvPath), csvPath, overwrite: arguments.Force);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The region is in the database: the secrets must not be lost with the file's name.
            await error.WriteLineAsync($"Attention : la région est enregistrée, mais « {csvPath} » n'a pas pu être écrit ({e.Message}). " +
                $"Les identifiants sont dans « {AccountsCsv.TemporaryPath(csvPath)} ».");
            return Failed;
        }

        await output.WriteLineAsync(Summary(region, accounts.Length, arguments, hashing.Elapsed, writing.Elapsed, total.Elapsed, csvPath));
        return Ok;
    }

    private static string Mode(SeedArguments a) => a.ActivationCodes
        ? string.Create(French, $"codes d'activation valables {a.ActivationDays} jours")
        : "mots de passe aléatoires, Argon2id";

    private static string Summary(GeneratedRegion region, int accounts, SeedArguments arguments, TimeSpan hashing, TimeSpan writing,
        TimeSpan total, string csvPath)
    {
        int Count(Profile p) => region.People.Count(x => x.Person.Profile == p);
        var perSecond = accounts / Math.Max(hashing.TotalSeconds, 0.001);
        return string.Create(French, $"""
            Terminé : {region.Schools.Count} collège(s), {region.Groups.Count(g => g.Kind == GroupKind.Class)} classes,
              {Count(Profile.Pupil):N0} élèves, {Count(Profile.Parent):N0} parents, {Count(Profile.Teacher):N0} enseignants,
              {Count(Profile.Staff):N0} personnels, {Count(Profile.SchoolAdmin):N0} direction, {Count(Profile.RegionAdmin)} administrateur régional.
            {(arguments.ActivationCodes ? "Codes d'activation" : "Mots de passe")} : {accounts:N0} en {hashing.TotalSeconds:N1} s ({perSecond:N0} comptes/s, {Environment.ProcessorCount} cœurs).
            Écriture en base : {writing.TotalSeconds:N1} s. Durée totale : {total.TotalSeconds:N1} s.
            Identifiants : {csvPath} (contient des secrets : à imprimer puis supprimer).
            """);
    }
}
