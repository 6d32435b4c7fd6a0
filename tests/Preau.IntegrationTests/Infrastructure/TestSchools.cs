using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>
/// A small region each test seeds for itself: two schools (A and B), two classes each, and one
/// account per profile and class, all with <see cref="Password"/>. Logins are
/// "{profile}.{school}{class}" in lower case, e.g. "pupil.a1", "teacher.b2", "parent.a1",
/// "staff.a", "schooladmin.a", "regionadmin".
/// </summary>
public sealed class TestSchools
{
    public const string Password = "Preau-test-2026!";

    // One hash for every test account: Argon2id costs ~26 ms, and tests create dozens of accounts.
    private static readonly Lazy<string> s_hash = new(() => PasswordHasher.Hash(Password));

    public Guid RegionId { get; private set; }
    public Dictionary<string, Guid> Schools { get; } = [];
    public Dictionary<string, Guid> Classes { get; } = [];
    public Dictionary<string, Guid> People { get; } = [];
    public Dictionary<string, Guid> Subjects { get; } = [];

    public static async Task<TestSchools> SeedAsync(IServiceProvider services)
    {
        var seeded = new TestSchools();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var region = new Region { Code = "TEST", Name = "Académie de test" };
        db.Regions.Add(region);
        seeded.RegionId = region.Id;
        var maths = new Subject { RegionId = region.Id, Code = "MATHS", Name = "Mathématiques" };
        var french = new Subject { RegionId = region.Id, Code = "FRANC", Name = "Français" };
        db.Subjects.AddRange(maths, french);
        seeded.Subjects["maths"] = maths.Id;
        seeded.Subjects["francais"] = french.Id;

        foreach (var (key, uai) in new[] { ("a", "0750001A"), ("b", "0750002B") })
        {
            var school = new School { RegionId = region.Id, Uai = uai, Name = $"Collège {key.ToUpperInvariant()}", City = "Paris" };
            db.Schools.Add(school);
            seeded.Schools[key] = school.Id;
            seeded.Add(db, $"staff.{key}", Profile.Staff, school.Id);
            seeded.Add(db, $"schooladmin.{key}", Profile.SchoolAdmin, school.Id);
            foreach (var n in new[] { "1", "2" })
            {
                var group = new Group { SchoolId = school.Id, Name = $"4e{n}", Kind = GroupKind.Class, Level = "4e" };
                db.Groups.Add(group);
                seeded.Classes[key + n] = group.Id;
                var pupil = seeded.Add(db, $"pupil.{key}{n}", Profile.Pupil, school.Id);
                var teacher = seeded.Add(db, $"teacher.{key}{n}", Profile.Teacher, school.Id);
                var parent = seeded.Add(db, $"parent.{key}{n}", Profile.Parent, null);
                db.GroupMemberships.Add(new GroupMembership { GroupId = group.Id, PupilId = pupil.Id });
                db.TeachingAssignments.Add(new TeachingAssignment { TeacherId = teacher.Id, GroupId = group.Id, SubjectId = maths.Id });
                db.GuardianLinks.Add(new GuardianLink { ParentId = parent.Id, ChildId = pupil.Id });
            }
        }

        seeded.Add(db, "regionadmin", Profile.RegionAdmin, null);
        await db.SaveChangesAsync();
        return seeded;
    }

    private Person Add(PreauDbContext db, string login, Profile profile, Guid? schoolId)
    {
        var person = new Person
        {
            RegionId = RegionId,
            SchoolId = schoolId,
            Profile = profile,
            FirstName = login.Split('.')[0],
            LastName = login.Contains('.', StringComparison.Ordinal) ? login.Split('.')[1].ToUpperInvariant() : "TEST",
        };
        db.People.Add(person);
        db.Accounts.Add(new Account { PersonId = person.Id, Login = login, PasswordHash = s_hash.Value, CreatedAt = DateTimeOffset.UtcNow });
        People[login] = person.Id;
        return person;
    }

    /// <summary>One more pupil (with an account) in a seeded class, for tests that need several pupils of one class.</summary>
    public async Task AddPupilAsync(IServiceProvider services, string login, string classKey)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var schoolKey = classKey[..1];
        var pupil = Add(db, login, Profile.Pupil, Schools[schoolKey]);
        db.GroupMemberships.Add(new GroupMembership { GroupId = Classes[classKey], PupilId = pupil.Id });
        await db.SaveChangesAsync();
    }

    /// <summary>Signs in through the real API; the client keeps the session cookie.</summary>
    public static async Task LoginAsync(HttpClient client, string login, string password = Password)
    {
        var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { login, password });
        response.EnsureSuccessStatusCode();
    }
}
