using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Directory;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.IntegrationTests.Features.PeopleDirectory;

/// <summary>The relations service and the resource checks every feature builds on, against a real
/// database: the right person is let in; the wrong profile, class, child and school are refused.</summary>
public sealed class RelationsTests
{
    private sealed class World(PreauAppFactory app, TestSchools schools) : IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope = app.Services.CreateAsyncScope();

        public TestSchools Schools { get; } = schools;
        public PreauAppFactory App { get; } = app;
        public Relations Relations => _scope.ServiceProvider.GetRequiredService<Relations>();
        public RelationsCache Cache => _scope.ServiceProvider.GetRequiredService<RelationsCache>();

        public async Task<PersonRelations> TiesAsync(string login) => (await Relations.GetAsync(Person(login), default))!;

        /// <summary>The claims a real sign-in would put in the cookie.</summary>
        public async Task<ClaimsPrincipal> UserAsync(string login)
        {
            var db = _scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            var account = await db.Accounts.AsNoTracking().Include(a => a.Person).SingleAsync(a => a.Login == login);
            return SignInService.BuildPrincipal(account);
        }

        public Guid Class(string key) => Schools.Classes[key];
        public Guid Person(string login) => Schools.People[login];
        public Guid School(string key) => Schools.Schools[key];

        public ValueTask DisposeAsync() => _scope.DisposeAsync();
    }

    private static async Task RunAsync(string provider, Func<World, Task> test, Dictionary<string, string?>? settings = null)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db, settings);
        var schools = await TestSchools.SeedAsync(app.Services);
        await using var world = new World(app, schools);
        await test(world);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task GetAsync_EachProfile_KnowsWhatThePersonIsTiedTo(string provider) => RunAsync(provider, async w =>
    {
        var pupil = await w.TiesAsync("pupil.a1");
        Assert.Equal(Profile.Pupil, pupil.Profile);
        Assert.Equal(w.School("a"), pupil.SchoolId);
        Assert.Equal([w.Class("a1")], pupil.Groups);

        var teacher = await w.TiesAsync("teacher.b2");
        Assert.Equal([new TaughtClass(w.Class("b2"), w.Schools.Subjects["maths"])], teacher.Teaching);
        Assert.Equal([w.Class("b2")], teacher.TaughtGroups);

        var parent = await w.TiesAsync("parent.a2");
        var child = Assert.Single(parent.Children);
        Assert.Equal(w.Person("pupil.a2"), child.Id);
        Assert.Equal(w.School("a"), child.SchoolId);
        Assert.Equal([w.Class("a2")], child.Groups);
        Assert.Equal([w.School("a")], parent.Schools);

        var region = await w.TiesAsync("regionadmin");
        Assert.Equal(w.Schools.RegionId, region.RegionId);
        Assert.Empty(region.Schools);
        Assert.Null(await w.Relations.GetAsync(Guid.NewGuid(), default));
    });

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
            // The region administrator is in no class: no class records.
            ("regionadmin", "a1", false), ("regionadmin", "b2", false),
        };
        foreach (var (login, group, allowed) in expectations)
        {
            Assert.True(allowed == await w.Relations.CanSeeGroupAsync(await w.TiesAsync(login), w.Class(group), default), $"{login} → {group}");
        }

        Assert.False(await w.Relations.CanSeeGroupAsync(await w.TiesAsync("staff.a"), Guid.NewGuid(), default));
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task Teaches_OnlyTheSubjectTaughtInThatGroup(string provider) => RunAsync(provider, async w =>
    {
        var maths = w.Schools.Subjects["maths"];
        Assert.True((await w.TiesAsync("teacher.b2")).Teaches(w.Class("b2"), maths));
        Assert.False((await w.TiesAsync("teacher.b2")).Teaches(w.Class("b2"), w.Schools.Subjects["francais"]));
        Assert.False((await w.TiesAsync("teacher.b2")).Teaches(w.Class("b1"), maths));
        Assert.False((await w.TiesAsync("teacher.b2")).Teaches(w.Class("a2"), maths));
        Assert.False((await w.TiesAsync("staff.b")).Teaches(w.Class("b2"), maths));
        Assert.True(await w.Relations.TeachesNowAsync(w.Person("teacher.b2"), w.Class("b2"), maths, default));
        Assert.False(await w.Relations.TeachesNowAsync(w.Person("teacher.b2"), w.Class("a2"), maths, default));
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task IsGuardianOf_OnlyTheParentsOwnChild(string provider) => RunAsync(provider, async w =>
    {
        Assert.True((await w.TiesAsync("parent.a2")).IsGuardianOf(w.Person("pupil.a2")));
        Assert.False((await w.TiesAsync("parent.a2")).IsGuardianOf(w.Person("pupil.a1")));
        Assert.False((await w.TiesAsync("parent.a2")).IsGuardianOf(w.Person("pupil.b2")));
        Assert.False((await w.TiesAsync("teacher.a2")).IsGuardianOf(w.Person("pupil.a2")));
        Assert.False((await w.TiesAsync("pupil.a2")).IsGuardianOf(w.Person("pupil.a2")));
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
            ("regionadmin", "pupil.a1", false),
            // Not a pupil at all: the check is about pupils' files.
            ("staff.a", "teacher.a1", false),
        };
        foreach (var (login, pupil, allowed) in expectations)
        {
            Assert.True(allowed == await w.Relations.CanSeePupilAsync(await w.TiesAsync(login), w.Person(pupil), default), $"{login} → {pupil}");
        }
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public Task CanSeeAndManageSchool_EachProfile_OnlyItsSchoolOrRegion(string provider) => RunAsync(provider, async w =>
    {
        foreach (var login in new[] { "pupil.a1", "teacher.a2", "staff.a", "schooladmin.a", "parent.a1" })
        {
            var ties = await w.TiesAsync(login);
            Assert.True(ties.BelongsToSchool(w.School("a")), $"{login} → a");
            Assert.True(await w.Relations.CanSeeSchoolAsync(ties, w.School("a"), default), $"{login} sees a");
            Assert.False(await w.Relations.CanSeeSchoolAsync(ties, w.School("b"), default), $"{login} sees b");
            Assert.Equal(login == "schooladmin.a", await w.Relations.CanManageSchoolAsync(ties, w.School("a"), default));
            Assert.False(await w.Relations.CanManageSchoolAsync(ties, w.School("b"), default), $"{login} manages b");
        }

        var region = await w.TiesAsync("regionadmin");
        Assert.False(region.BelongsToSchool(w.School("b")));
        Assert.True(await w.Relations.CanSeeSchoolAsync(region, w.School("b"), default));
        Assert.True(await w.Relations.CanManageSchoolAsync(region, w.School("b"), default));
        Assert.False(await w.Relations.CanSeeSchoolAsync(region, Guid.NewGuid(), default));
    });

    [Fact]
    public Task GetAsync_MembershipChangedThenInvalidated_SeesTheNewClass() => RunAsync("Sqlite", async w =>
    {
        Assert.Equal([w.Class("a1")], (await w.TiesAsync("pupil.a1")).Groups);
        await MoveAsync(w, "pupil.a1", "a1", "a2");
        // Cached: the move shows only once someone says memberships changed.
        Assert.Equal([w.Class("a1")], (await w.TiesAsync("pupil.a1")).Groups);
        w.Cache.Invalidate(w.Person("pupil.a1"));
        Assert.Equal([w.Class("a2")], (await w.TiesAsync("pupil.a1")).Groups);
    });

    [Fact]
    public Task GetAsync_CacheTurnedOff_ReadsTheDatabaseEachTime() => RunAsync("Sqlite", async w =>
    {
        Assert.Equal([w.Class("a1")], (await w.TiesAsync("pupil.a1")).Groups);
        await MoveAsync(w, "pupil.a1", "a1", "a2");
        Assert.Equal([w.Class("a2")], (await w.TiesAsync("pupil.a1")).Groups);
    }, new() { ["Directory:RelationsCacheSeconds"] = "0" });

    private static Task<int> MoveAsync(World w, string pupil, string from, string to) => w.App.WithDbAsync(async db =>
    {
        var pupilId = w.Person(pupil);
        var fromId = w.Class(from);
        await db.GroupMemberships.Where(m => m.PupilId == pupilId && m.GroupId == fromId).ExecuteDeleteAsync();
        db.GroupMemberships.Add(new GroupMembership { PupilId = pupilId, GroupId = w.Class(to) });
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Policies_WrongProfile_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await using var world = new World(app, schools);
        var authorization = app.Services.GetRequiredService<IAuthorizationService>();
        string[] everyone = ["pupil.a1", "parent.a1", "teacher.a1", "staff.a", "schooladmin.a", "regionadmin"];
        var allowed = new Dictionary<string, string[]>
        {
            [Policies.Pupil] = ["pupil.a1"],
            [Policies.Teacher] = ["teacher.a1"],
            [Policies.SchoolMember] = ["pupil.a1", "parent.a1", "teacher.a1", "staff.a", "schooladmin.a"],
            [Policies.CalendarOwner] = ["pupil.a1", "parent.a1", "teacher.a1"],
            [Policies.SchoolStaff] = ["teacher.a1", "staff.a", "schooladmin.a"],
            [Policies.SchoolOffice] = ["staff.a", "schooladmin.a"],
            [Policies.SchoolAdmin] = ["schooladmin.a"],
            [Policies.RegionAdmin] = ["regionadmin"],
            [Policies.Administration] = ["schooladmin.a", "regionadmin"],
            [Policies.SignedIn] = everyone,
        };

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
