using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Seed;

internal static class SeedSetup
{
    public static WebApplicationBuilder AddSeed(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>On a database without any region, creates the demo school; at every start, prints
    /// the demo logins that still have their demo password.</summary>
    public static async Task SeedDemoSchoolAsync(this WebApplication app, CancellationToken ct = default)
    {
        var enabled = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled ?? !app.Environment.IsEnvironment("Testing");
        if (!enabled)
        {
            return;
        }

        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        await DemoSchool.EnsureAsync(app.Services, storage.FullDataDirectory, Console.Out, app.Logger, ct);
    }
}

/// <summary>
/// The small school a first start creates so that someone trying Préau can sign in at once.
/// Only the six accounts printed on the console get a password (hashed for real, ~26 ms each);
/// the ~150 others get activation codes, so the first start stays well under a second of
/// hashing. The demo passwords are random per installation and kept in
/// <c>&lt;data&gt;/demo-logins.txt</c> (owner-only), then printed at every start while each
/// account still has its demo password: once changed, a login is no longer shown.
/// </summary>
internal static class DemoSchool
{
    public const string RegionCode = "DEMO";
    public const string LoginsFile = "demo-logins.txt";
    public const string AccountsFile = "demo-comptes.csv";

    internal sealed record DemoLogin(string Profile, string Login, string Password);

    public static async Task EnsureAsync(IServiceProvider services, string dataDirectory, TextWriter output, ILogger logger,
        CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        if (!await db.Regions.AnyAsync(ct))
        {
            // Just created: valid by construction, no need to verify six Argon2id hashes again.
            // Printed even if the data directory could not keep them for the next starts.
            var created = await CreateAsync(services, db, dataDirectory, logger, ct);
            if (created is not null)
            {
                await output.WriteLineAsync(Banner(created));
                return;
            }
        }

        var valid = await StillValidAsync(db, ReadLogins(dataDirectory), ct);
        if (valid.Count > 0)
        {
            await output.WriteLineAsync(Banner(valid));
        }
    }

    private static async Task<DemoLogin[]?> CreateAsync(IServiceProvider services, PreauDbContext db, string dataDirectory, ILogger logger,
        CancellationToken ct)
    {
        var region = RegionGenerator.Generate(RegionCode, "Académie de démonstration", schools: 1, pupilsPerSchool: 100,
            SeedArguments.DefaultSeed, [], []);
        var (accounts, lines) = RegionWriter.CreateAccounts(region, activationCodes: true, DateTimeOffset.UtcNow, activationDays: 365,
            SeedProgress.Silent, ct);
        var demo = PickDemoPeople(region);
        GiveChildInAnotherClass(region, demo[1].Person.Id);
        var logins = new DemoLogin[demo.Count];
        Parallel.For(0, demo.Count, i =>
        {
            var (label, person) = demo[i];
            var index = region.People.FindIndex(p => p.Person.Id == person.Id);
            var password = RegionWriter.NewPassword();
            accounts[index].PasswordHash = PasswordHasher.Hash(password);
            accounts[index].ActivationCodeHash = null;
            accounts[index].ActivationExpiresAt = null;
            lines[index] = lines[index] with { Secret = password };
            logins[i] = new DemoLogin(label, accounts[index].Login, password);
        });

        try
        {
            // ~250 rows a table: COPY would not matter; EF Core alone keeps this path simple.
            await RegionWriter.WriteAsync(db, region, accounts, SeedProgress.Silent, postgresCopy: false, ct);
        }
        catch (DbUpdateException e)
        {
            // Another node of the same deployment seeded it first (unique region code).
            logger.LogWarning(e, "École de démonstration non créée : une autre instance l'a probablement déjà créée.");
            return null;
        }

        try
        {
            var cast = new DemoCast(demo[0].Person, demo[1].Person, demo[2].Person, demo[3].Person, demo[4].Person);
            await DemoLife.FillAsync(services, region, cast, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The accounts are there and can sign in: an emptier demo is better than no start.
            logger.LogWarning(e, "École de démonstration créée sans sa vie (emploi du temps, devoirs, messages, actualités).");
        }

        try
        {
            await WriteFilesAsync(dataDirectory, logins, lines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Identifiants de démonstration non enregistrés dans {Directory} : {Reason}", dataDirectory, e.Message);
            return logins;
        }

        logger.LogInformation("École de démonstration créée : {Count} comptes, identifiants dans {File}.", accounts.Length,
            Path.Combine(dataDirectory, AccountsFile));
        return logins;
    }

    private static async Task WriteFilesAsync(string dataDirectory, DemoLogin[] logins, AccountLine[] lines)
    {
        Directory.CreateDirectory(dataDirectory);
        await using (var file = OwnerOnly(Path.Combine(dataDirectory, LoginsFile)))
        await using (var writer = new StreamWriter(file))
        {
            foreach (var login in logins)
            {
                await writer.WriteLineAsync($"{login.Profile}\t{login.Login}\t{login.Password}");
            }
        }

        await using (var csv = OwnerOnly(Path.Combine(dataDirectory, AccountsFile)))
        {
            AccountsCsv.Write(csv, lines);
        }
    }

    /// <summary>A pupil of the first class, one of their parents, their mathematics teacher, a
    /// staff member, the head of the school and the region administrator.</summary>
    internal static List<(string Label, Person Person)> PickDemoPeople(GeneratedRegion region)
    {
        Person First(Profile profile) => region.People.First(p => p.Person.Profile == profile).Person;
        var pupil = First(Profile.Pupil);
        var parentId = region.Guardians.First(g => g.ChildId == pupil.Id).ParentId;
        var classId = region.Memberships.First(m => m.PupilId == pupil.Id).GroupId;
        var maths = region.Subjects.Single(s => s.Code == "MATHS").Id;
        var teacherId = region.Assignments.First(a => a.GroupId == classId && a.SubjectId == maths).TeacherId;
        Person ById(Guid id) => region.People.First(p => p.Person.Id == id).Person;
        return
        [
            ("Élève", pupil),
            ("Parent", ById(parentId)),
            ("Enseignant", ById(teacherId)),
            ("Personnel", First(Profile.Staff)),
            ("Direction", First(Profile.SchoolAdmin)),
            ("Administrateur régional", First(Profile.RegionAdmin)),
        ];
    }

    /// <summary>The demo parent shows how a family with children in two classes gets along: when all
    /// their children are in one class, one of them moves to another class (or, for an only child,
    /// a pupil of another class joins the family).</summary>
    internal static void GiveChildInAnotherClass(GeneratedRegion region, Guid parentId)
    {
        var classes = region.Groups.Where(g => g.Kind == GroupKind.Class).Select(g => g.Id).ToHashSet();
        GroupMembership ClassOf(Guid pupilId) => region.Memberships.First(m => m.PupilId == pupilId && classes.Contains(m.GroupId));
        var children = region.Guardians.Where(g => g.ParentId == parentId).Select(g => g.ChildId).ToList();
        var first = ClassOf(children[0]).GroupId;
        if (classes.Count < 2 || children.Any(c => ClassOf(c).GroupId != first))
        {
            return;
        }

        var other = classes.First(c => c != first);
        if (children.Count > 1)
        {
            ClassOf(children[^1]).GroupId = other;
            return;
        }

        var parents = region.Guardians.Where(g => g.ChildId == children[0]).Select(g => g.ParentId).ToList();
        var joining = region.Memberships.First(m => m.GroupId == other).PupilId;
        region.Guardians.RemoveAll(g => g.ChildId == joining);
        region.Guardians.AddRange(parents.Select(p => new GuardianLink { ParentId = p, ChildId = joining }));
    }

    internal static List<DemoLogin> ReadLogins(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, LoginsFile);
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadAllLines(path)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 3)
            .Select(parts => new DemoLogin(parts[0], parts[1], parts[2]))
            .ToList();
    }

    private static async Task<List<DemoLogin>> StillValidAsync(PreauDbContext db, List<DemoLogin> logins, CancellationToken ct)
    {
        if (logins.Count == 0)
        {
            return [];
        }

        var names = logins.Select(l => l.Login).ToList();
        var hashes = await db.Accounts.AsNoTracking().Where(a => names.Contains(a.Login))
            .ToDictionaryAsync(a => a.Login, a => a.PasswordHash, ct);
        var valid = new bool[logins.Count];
        Parallel.For(0, logins.Count, i =>
            valid[i] = hashes.TryGetValue(logins[i].Login, out var hash)
                && PasswordHasher.Verify(hash, logins[i].Password) != PasswordCheck.Failed);
        return logins.Where((_, i) => valid[i]).ToList();
    }

    internal static string Banner(IEnumerable<DemoLogin> logins)
    {
        var rows = string.Join(Environment.NewLine, logins.Select(l =>
            string.Create(CultureInfo.InvariantCulture, $"  {l.Profile,-24} {l.Login,-28} {l.Password}")));
        return $"""

            ═══════════════ Préau : comptes de démonstration ═══════════════
              Profil                   Identifiant                  Mot de passe
            {rows}
              Affichés tant que leur mot de passe de démonstration n'a pas été changé.
              (Désactiver l'école de démonstration : Demo:Enabled=false.)
            ════════════════════════════════════════════════════════════════

            """;
    }

    private static FileStream OwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
