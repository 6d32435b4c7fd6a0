using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Import;
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

    /// <summary>When enabled (by default on the embedded SQLite only), on a database without any region, creates the demo school; at every start, prints
    /// the demo logins that still have their demo password.</summary>
    public static async Task SeedDemoSchoolAsync(this WebApplication app, CancellationToken ct = default)
    {
        // A region database (PostgreSQL) gets no demo school unless asked: its nodes would otherwise create one
        // on a fresh database and print its region administrator's password on every start.
        var provider = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
        var enabled = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled
            ?? (provider == DatabaseProvider.Sqlite && !app.Environment.IsEnvironment("Testing"));
        if (!enabled)
        {
            return;
        }

        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        await DemoSchool.EnsureAsync(app.Services, storage.FullDataDirectory, Console.Out, app.Logger, ct);
    }
}

/// <summary>
/// The small school a first start creates so that someone trying Préau can sign in at once. Its
/// people come from the demo school's SIECLE and STS-web files through the import a real school
/// uses (<see cref="DemoImport"/>), so that path runs on every first start. Only the six accounts
/// printed on the console get a password (hashed for real, ~26 ms each); all the others get
/// activation codes, so the first start stays well under a second of hashing. The demo passwords are random per installation and kept in
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
        var region = new Region { Code = RegionCode, Name = "Académie de démonstration" };
        var school = new School { RegionId = region.Id, Uai = DemoImport.Uai, Name = "Collège de démonstration", City = "Paris" };
        var admin = new Person { RegionId = region.Id, Profile = Profile.RegionAdmin, FirstName = "Camille", LastName = "ROCHE" };
        db.AddRange(region, school, admin);
        db.Accounts.Add(new Account { PersonId = admin.Id, Login = "camille.roche", CreatedAt = DateTimeOffset.UtcNow });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // Another node of the same deployment seeded it first (unique region code).
            logger.LogWarning(e, "École de démonstration non créée : une autre instance l'a probablement déjà créée.");
            return null;
        }

        // The school's people come in through the same SIECLE and STS-web import a real school uses.
        var report = await DemoImport.ImportAsync(services, school.Id, ct);
        if (report.Refused is not null || report.Errors.Count > 0)
        {
            throw new InvalidOperationException("Import de l'école de démonstration refusé : "
                + (report.Refused ?? string.Join(" ", report.Errors.Select(e => $"{e.Record} : {e.Message}"))));
        }

        var imported = await LoadAsync(db, region, school, ct);
        var demo = PickDemoPeople(imported);
        var lines = report.NewAccounts.Append(new AccountLine("camille.roche", "", Profile.RegionAdmin, "", "")).ToList();
        var logins = await GivePasswordsAsync(db, demo, lines, ct);

        try
        {
            var cast = new DemoCast(demo[0].Person, demo[1].Person, demo[2].Person, demo[3].Person, demo[4].Person);
            await DemoLife.FillAsync(services, imported, cast, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The accounts are there and can sign in: an emptier demo is better than no start.
            logger.LogWarning(e, "École de démonstration créée sans sa vie (emploi du temps, devoirs, messages, actualités).");
        }

        try
        {
            await WriteFilesAsync(dataDirectory, logins, [.. lines]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Identifiants de démonstration non enregistrés dans {Directory} : {Reason}", dataDirectory, e.Message);
            return logins;
        }

        logger.LogInformation("École de démonstration créée : {Count} comptes, identifiants dans {File}.", lines.Count,
            Path.Combine(dataDirectory, AccountsFile));
        return logins;
    }

    /// <summary>The imported school as the demo's life needs it: groups, people with their logins, ties.</summary>
    private static async Task<GeneratedRegion> LoadAsync(PreauDbContext db, Region region, School school, CancellationToken ct)
    {
        var loaded = new GeneratedRegion { Region = region };
        loaded.Schools.Add(school);
        loaded.Subjects.AddRange(await db.Subjects.AsNoTracking().Where(s => s.RegionId == region.Id).OrderBy(s => s.Code).ToListAsync(ct));
        loaded.Groups.AddRange(await db.Groups.AsNoTracking().Where(g => g.SchoolId == school.Id).OrderBy(g => g.Name).ToListAsync(ct));
        var people = await db.People.AsNoTracking().Where(p => p.RegionId == region.Id)
            .Join(db.Accounts, p => p.Id, a => a.PersonId, (p, a) => new { Person = p, a.Login })
            .OrderBy(x => x.Person.LastName).ThenBy(x => x.Person.FirstName).ThenBy(x => x.Login).ToListAsync(ct);
        loaded.People.AddRange(people.Select(p => new SeededPerson(p.Person, p.Login, school.Uai, "")));
        loaded.Memberships.AddRange(await db.GroupMemberships.AsNoTracking().Where(m => m.Group!.SchoolId == school.Id).ToListAsync(ct));
        loaded.Assignments.AddRange(await db.TeachingAssignments.AsNoTracking().Where(a => a.Group!.SchoolId == school.Id).ToListAsync(ct));
        var pupils = people.Where(p => p.Person.Profile == Profile.Pupil).Select(p => p.Person.Id).ToList();
        loaded.Guardians.AddRange(await db.GuardianLinks.AsNoTracking().Where(g => pupils.Contains(g.ChildId)).ToListAsync(ct));
        return loaded;
    }

    /// <summary>The six printed accounts get a real password instead of their activation code (the region
    /// administrator, created without any, gets its first one here).</summary>
    private static async Task<DemoLogin[]> GivePasswordsAsync(PreauDbContext db, List<(string Label, Person Person)> demo, List<AccountLine> lines,
        CancellationToken ct)
    {
        var ids = demo.Select(d => d.Person.Id).ToList();
        var accounts = await db.Accounts.Where(a => ids.Contains(a.PersonId)).ToDictionaryAsync(a => a.PersonId, ct);
        var passwords = demo.Select(_ => RegionWriter.NewPassword()).ToArray();
        var hashes = new string[demo.Count];
        Parallel.For(0, demo.Count, i => hashes[i] = PasswordHasher.Hash(passwords[i]));
        var logins = new DemoLogin[demo.Count];
        for (var i = 0; i < demo.Count; i++)
        {
            var account = accounts[demo[i].Person.Id];
            account.PasswordHash = hashes[i];
            account.ActivationCodeHash = null;
            account.ActivationExpiresAt = null;
            var line = lines.FindIndex(l => l.Login == account.Login);
            if (line >= 0)
            {
                lines[line] = lines[line] with { Secret = passwords[i] };
            }

            logins[i] = new DemoLogin(demo[i].Label, account.Login, passwords[i]);
        }

        await db.SaveChangesAsync(ct);
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

    /// <summary>A pupil with a parent who has another child in another class (to show a family with
    /// children in two classes; else the first pupil), that parent, the pupil's mathematics teacher, a
    /// staff member, the head of the school and the region administrator.</summary>
    internal static List<(string Label, Person Person)> PickDemoPeople(GeneratedRegion region)
    {
        Person First(Profile profile) => region.People.First(p => p.Person.Profile == profile).Person;
        var classes = region.Groups.Where(g => g.Kind == GroupKind.Class).Select(g => g.Id).ToHashSet();
        Guid? ClassOf(Guid pupilId) => region.Memberships.FirstOrDefault(m => m.PupilId == pupilId && classes.Contains(m.GroupId))?.GroupId;
        bool TwoClasses(GuardianLink link) => region.Guardians.Any(o => o.ParentId == link.ParentId && ClassOf(o.ChildId) != ClassOf(link.ChildId));
        var pupils = region.People.Where(p => p.Person.Profile == Profile.Pupil && ClassOf(p.Person.Id) is not null).Select(p => p.Person).ToList();
        var family = region.Guardians.Where(g => pupils.Any(p => p.Id == g.ChildId)).OrderBy(g => pupils.FindIndex(p => p.Id == g.ChildId))
            .FirstOrDefault(TwoClasses)
            ?? region.Guardians.First(g => g.ChildId == pupils[0].Id);
        var pupil = pupils.First(p => p.Id == family.ChildId);
        var classId = ClassOf(pupil.Id)!.Value;
        var maths = region.Subjects.Single(s => s.Code == "MATHS").Id;
        var teacherId = region.Assignments.First(a => a.GroupId == classId && a.SubjectId == maths).TeacherId;
        Person ById(Guid id) => region.People.First(p => p.Person.Id == id).Person;
        return
        [
            ("Élève", pupil),
            ("Parent", ById(family.ParentId)),
            ("Enseignant", ById(teacherId)),
            ("Personnel", First(Profile.Staff)),
            ("Direction", First(Profile.SchoolAdmin)),
            ("Administrateur régional", First(Profile.RegionAdmin)),
        ];
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
