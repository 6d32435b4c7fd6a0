using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Messaging;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.Timeline;

// Usage: dotnet run -c Release --project bench/Preau.Bench.Messaging -- [sqlite|postgres] [runs]
// PostgreSQL: the connection string (to a database the bench may drop and recreate) is read from PREAU_BENCH_POSTGRES.
// Builds one school of 800 pupils (each with a parent) in 30 classes, 10,000 messages in one
// parent's inbox, then times the hot paths side by side in one run, median of N.
var provider = args.Length > 0 ? args[0] : "sqlite";
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var services = new ServiceCollection();
string? tempDir = null;
if (provider == "postgres")
{
    var cs = Environment.GetEnvironmentVariable("PREAU_BENCH_POSTGRES")
        ?? throw new InvalidOperationException("Set PREAU_BENCH_POSTGRES to a PostgreSQL connection string.");
    services.AddDbContext<PreauDbContext>(o => o.UseNpgsql(cs, x => x.MigrationsAssembly("Preau.Migrations.Postgres")));
}
else
{
    tempDir = Directory.CreateTempSubdirectory("preau-bench-").FullName;
    var cs = $"Data Source={Path.Combine(tempDir, "bench.db")}";
    services.AddDbContext<PreauDbContext>(o => o.UseSqlite(cs, x => x.MigrationsAssembly("Preau.Migrations.Sqlite")));
}

services.AddSingleton(TimeProvider.System);
services.AddSingleton(Options.Create(new MessagingOptions()));
services.AddScoped<CommunicationDirectory>();
services.AddScoped<TimelineFeed>();
services.AddScoped<MessagingService>();
await using var root = services.BuildServiceProvider();

const int pupils = 800, classes = 30, inboxSize = 10_000;
Guid schoolId, staffId, parentId, teacherId, classId;
await using (var scope = root.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
    await db.Database.EnsureDeletedAsync();
    await db.Database.MigrateAsync();
    if (provider == "sqlite")
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    var region = new Region { Code = "BENCH", Name = "Bench" };
    var school = new School { RegionId = region.Id, Uai = "0750099Z", Name = "Collège Bench", City = "Paris" };
    db.AddRange(region, school);
    var staff = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = Profile.Staff, FirstName = "Vie", LastName = "Scolaire" };
    var teacher = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = Profile.Teacher, FirstName = "Prof", LastName = "Principal" };
    db.People.AddRange(staff, teacher);
    var groups = Enumerable.Range(0, classes).Select(i => new Group { SchoolId = school.Id, Name = $"C{i}", Kind = GroupKind.Class }).ToList();
    db.Groups.AddRange(groups);
    Person? firstParent = null;
    for (var i = 0; i < pupils; i++)
    {
        var pupil = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = Profile.Pupil, FirstName = "Élève", LastName = $"N{i:0000}" };
        var parent = new Person { RegionId = region.Id, Profile = Profile.Parent, FirstName = "Parent", LastName = $"N{i:0000}" };
        firstParent ??= parent;
        db.People.AddRange(pupil, parent);
        db.GroupMemberships.Add(new GroupMembership { GroupId = groups[i % classes].Id, PupilId = pupil.Id });
        db.GuardianLinks.Add(new GuardianLink { ParentId = parent.Id, ChildId = pupil.Id });
    }

    await db.SaveChangesAsync();
    (schoolId, staffId, parentId, teacherId, classId) = (school.Id, staff.Id, firstParent!.Id, teacher.Id, groups[0].Id);

    // 10,000 messages already in one parent's inbox (direct rows: the seeding is not what we time).
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    var start = DateTimeOffset.UtcNow.AddDays(-300);
    for (var i = 0; i < inboxSize; i++)
    {
        var at = start.AddMinutes(i * 40);
        var m = new Message
        {
            ThreadId = Guid.Empty, SenderId = i % 2 == 0 ? staff.Id : teacher.Id, Subject = $"Information n°{i}", BodySource = "Texte",
            BodyHtml = "<p>Texte</p>", RecipientsLabel = "Parent", AudienceTokens = "", RecipientCount = 1, SentAt = at,
        };
        m.ThreadId = m.Id;
        db.Messages.Add(m);
        db.MailboxEntries.Add(new MailboxEntry { OwnerId = parentId, MessageId = m.Id, Box = MailboxBox.Inbox, Folder = MailboxFolder.Inbox, SentAt = at, ReadAt = i % 3 == 0 ? null : at });
        if (i % 2000 == 1999)
        {
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    await db.SaveChangesAsync();
}

async Task<double> MedianMsAsync(string name, Func<MessagingService, Task> action, int n)
{
    // One warm-up (JIT, query compilation, page cache), then n timed runs, each in a fresh scope.
    for (var w = 0; w < 2; w++)
    {
        await using var warm = root.CreateAsyncScope();
        await action(warm.ServiceProvider.GetRequiredService<MessagingService>());
    }

    var times = new List<double>();
    for (var i = 0; i < n; i++)
    {
        await using var scope = root.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<MessagingService>();
        var sw = Stopwatch.StartNew();
        await action(service);
        times.Add(sw.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    var median = times[times.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-48} median {median,8:0.00} ms   p90 {times[(int)(times.Count * 0.9)],8:0.00} ms   (n={n})"));
    return median;
}

Console.WriteLine($"Provider: {provider}; school of {pupils} pupils + {pupils} parents in {classes} classes; inbox of {inboxSize} messages.");
var page1 = await MedianMsAsync("Inbox page 1 (10,000 messages)", s => s.ListAsync(parentId, Folder.Inbox, null, 1, default), runs);
var page200 = await MedianMsAsync("Inbox page 200 (deep offset)", s => s.ListAsync(parentId, Folder.Inbox, null, 200, default), runs);
var unread = await MedianMsAsync("Unread count (3,334 unread)", s => s.UnreadCountAsync(parentId, default), runs);
var search = await MedianMsAsync("Inbox search \"n°9999\" (scan of the inbox)", s => s.ListAsync(parentId, Folder.Inbox, "n°9999", 1, default), runs);
var one = await MedianMsAsync("Send to 1 person", async s =>
{
    var r = await s.SendAsync(staffId, [$"person:{teacherId}"], "Bench", "Texte **court**.", null, null, default);
    if (r.Status != SendStatus.Sent) throw new InvalidOperationException(r.Status.ToString());
}, runs);
var klass = await MedianMsAsync("Send to the parents of a class (~27)", async s =>
{
    var r = await s.SendAsync(staffId, [$"parents:{classId}"], "Bench", "Texte **court**.", null, null, default);
    if (r.Status != SendStatus.Sent) throw new InvalidOperationException(r.Status.ToString());
}, runs);
var wholeSchool = await MedianMsAsync("Send to the whole school (800 pupils + 800 parents)", async s =>
{
    var r = await s.SendAsync(staffId, [$"school:{schoolId}:Parent", $"school:{schoolId}:Pupil"], "Bench", "Texte **court**.", null, null, default);
    if (r.Status != SendStatus.Sent || r.RecipientCount != 2 * pupils) throw new InvalidOperationException(r.Status.ToString());
}, runs);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Ratios: page 200 / page 1 = {page200 / page1:0.0}x; unread / page 1 = {unread / page1:0.0}x; search / page 1 = {search / page1:0.0}x; whole school / 1 person = {wholeSchool / one:0.0}x; class / 1 person = {klass / one:0.0}x"));

if (tempDir is not null)
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(tempDir, recursive: true);
}
