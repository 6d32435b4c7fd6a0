using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;

namespace Preau.IntegrationTests.Features.Accounts;

/// <summary>The resource checks every feature builds on, against a real database: the right
/// person is let in; the wrong profile, the wrong class and the wrong school are refused.</summary>
public sealed class AccessTests
{
    private sealed class World(PreauAppFactory app, TestSchools schools) : IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope = app.Services.CreateAsyncScope();

        public TestSchools Schools { get; } = schools;
        public Access Access => _scope.ServiceProvider.GetRequiredService<Access>();

        /// <summary>The claims a real sign-in would put in the cookie.</summary>
        public async Task<ClaimsPrincipal> UserAsync(string login)
        {
            var db = _scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            var account = await db.Accounts.AsNoTracking().Include(a => a.Person).SingleAsync(a => a.Login == login);
            return SignInService.BuildPrincipal(account);
        }

        public Guid Class(string key) => Schools.Classes[key];
        public Guid Person(string login) => Schools.People[login];

        public ValueTask DisposeAsync() => _scope.DisposeAsync();
    }

    private static async Task RunAsync(string provider, Func<World, Task> test)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await using var world = new World(app, schools);
        await test(world);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task CanSeeGroup_EachProfile_OnlyItsOwnClassesAndSchool(string provider) => RunAsync(provider, async w =>
    {
        var expectations = new (string Login, string Class, bool Allowed)[]
        {
            ("pupil.a1", "a1", true), ("pupil.a1", "a2", false), ("pupil.a1", "b1", false),
            ("teacher.a1", "a1", true), ("teacher.a1", "a2", false), ("teacher.a1", "b1", false),
            ("parent.a1", "a1", true), ("parent.a1", "a2", false), ("parent.a1", "b1", false),
            ("staff.a", "a1", true), ("staff.a", "a2", true), ("staff.a", "b1", false),
            ("schooladmin.b", "b2", true), ("schooladmin.b", "a2", false),
            ("regionadmin", "a1", true), ("regionadmin", "b2", true),
        };
        foreach (var (login, group, allowed) in expectations)
        {
            Assert.True(allowed == await w.Access.CanSeeGroupAsync(await w.UserAsync(login), w.Class(group)), $"{login} → {group}");
        }

        Assert.False(await w.Access.CanSeeGroupAsync(await w.UserAsync("regionadmin"), Guid.NewGuid()));
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task TeachesGroup_OnlyTeachersOfThatGroup(string provider) => RunAsync(provider, async w =>
    {
        Assert.True(await w.Access.TeachesGroupAsync(await w.UserAsync("teacher.b2"), w.Class("b2")));
        Assert.False(await w.Access.TeachesGroupAsync(await w.UserAsync("teacher.b2"), w.Class("b1")));
        Assert.False(await w.Access.TeachesGroupAsync(await w.UserAsync("teacher.b2"), w.Class("a2")));
        Assert.False(await w.Access.TeachesGroupAsync(await w.UserAsync("pupil.b2"), w.Class("b2")));
        Assert.False(await w.Access.TeachesGroupAsync(await w.UserAsync("schooladmin.b"), w.Class("b2")));
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task IsGuardianOf_OnlyTheParentsOwnChild(string provider) => RunAsync(provider, async w =>
    {
        Assert.True(await w.Access.IsGuardianOfAsync(await w.UserAsync("parent.a2"), w.Person("pupil.a2")));
        Assert.False(await w.Access.IsGuardianOfAsync(await w.UserAsync("parent.a2"), w.Person("pupil.a1")));
        Assert.False(await w.Access.IsGuardianOfAsync(await w.UserAsync("parent.a2"), w.Person("pupil.b2")));
        Assert.False(await w.Access.IsGuardianOfAsync(await w.UserAsync("teacher.a2"), w.Person("pupil.a2")));
        Assert.False(await w.Access.IsGuardianOfAsync(await w.UserAsync("pupil.a2"), w.Person("pupil.a2")));
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task CanSeePupil_EachProfile_RefusesOtherClassesAndSchools(string provider) => RunAsync(provider, async w =>
    {
        var expectations = new (string Login, string Pupil, bool Allowed)[]
        {
            ("pupil.a1", "pupil.a1", true), ("pupil.a1", "pupil.a2", false), ("pupil.a1", "pupil.b1", false),
            ("parent.a1", "pupil.a1", true), ("parent.a1", "pupil.a2", false), ("parent.a1", "pupil.b1", false),
            ("teacher.a1", "pupil.a1", true), ("teacher.a1", "pupil.a2", false), ("teacher.a1", "pupil.b1", false),
            ("staff.b", "pupil.b1", true), ("staff.b", "pupil.b2", true), ("staff.b", "pupil.a1", false),
            ("schooladmin.a", "pupil.a2", true), ("schooladmin.a", "pupil.b2", false),
            ("regionadmin", "pupil.a1", true), ("regionadmin", "pupil.b2", true),
            // Not a pupil at all: the check is about pupils' records.
            ("staff.a", "teacher.a1", false),
        };
        foreach (var (login, pupil, allowed) in expectations)
        {
            Assert.True(allowed == await w.Access.CanSeePupilAsync(await w.UserAsync(login), w.Person(pupil)), $"{login} → {pupil}");
        }
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task IsSameSchool_EachProfile_OnlyItsSchool(string provider) => RunAsync(provider, async w =>
    {
        var a = w.Schools.Schools["a"];
        var b = w.Schools.Schools["b"];
        foreach (var login in new[] { "pupil.a1", "teacher.a2", "staff.a", "schooladmin.a", "parent.a1" })
        {
            var user = await w.UserAsync(login);
            Assert.True(await w.Access.IsSameSchoolAsync(user, a), $"{login} → a");
            Assert.False(await w.Access.IsSameSchoolAsync(user, b), $"{login} → b");
        }

        Assert.True(await w.Access.IsSameSchoolAsync(await w.UserAsync("regionadmin"), b));
        Assert.False(await w.Access.IsSameSchoolAsync(await w.UserAsync("regionadmin"), Guid.NewGuid()));
    });

    [Fact]
    public async Task Policies_WrongProfile_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await using var world = new World(app, schools);
        var authorization = app.Services.GetRequiredService<IAuthorizationService>();
        var allowed = new Dictionary<string, string[]>
        {
            [Policies.Pupil] = ["pupil.a1"],
            [Policies.Parent] = ["parent.a1"],
            [Policies.PupilOrParent] = ["pupil.a1", "parent.a1"],
            [Policies.Teacher] = ["teacher.a1"],
            [Policies.SchoolStaff] = ["teacher.a1", "staff.a", "schooladmin.a"],
            [Policies.SchoolAdmin] = ["schooladmin.a"],
            [Policies.RegionAdmin] = ["regionadmin"],
            [Policies.Administration] = ["schooladmin.a", "regionadmin"],
            [Policies.SignedIn] = ["pupil.a1", "parent.a1", "teacher.a1", "staff.a", "schooladmin.a", "regionadmin"],
        };
        string[] everyone = ["pupil.a1", "parent.a1", "teacher.a1", "staff.a", "schooladmin.a", "regionadmin"];

        foreach (var (policy, logins) in allowed)
        {
            foreach (var login in everyone)
            {
                var result = await authorization.AuthorizeAsync(await world.UserAsync(login), policy);
                Assert.True(result.Succeeded == logins.Contains(login), $"{policy} / {login}");
            }

            Assert.False((await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), policy)).Succeeded);
        }
    }
}
