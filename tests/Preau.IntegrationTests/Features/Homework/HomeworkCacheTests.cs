using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Homework;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Homework;

public sealed class HomeworkCacheTests
{
    [Fact]
    public async Task List_OtherPupilsOfClass_ServedFromTheClassWeekInMemory()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await schools.AddPupilAsync(app.Services, "pupil.a1bis", "a1");
        await schools.AddPupilAsync(app.Services, "pupil.a1ter", "a1");
        await PostAsync(app, schools);
        using var first = await SignedInAsync(app, "pupil.a1");
        using var second = await SignedInAsync(app, "pupil.a1bis");
        using var third = await SignedInAsync(app, "pupil.a1ter");
        var cache = app.Services.GetRequiredService<ClassHomeworkCache>();
        Assert.Single(await ListAsync(first));
        var loads = cache.Loads;

        Assert.Single(await ListAsync(second));
        Assert.Single(await ListAsync(third));
        Assert.Equal(loads, cache.Loads);

        // Once each pupil's own class list and ticks are known, their lists cost no database query but the
        // read of their session row.
        using var counter = new QueryCounter(db.DataDirectory);
        Assert.Single(await ListAsync(second));
        Assert.Single(await ListAsync(third));
        Assert.Empty(counter.BesidesSessions);
        Assert.Equal(2, counter.SessionReads);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task List_AfterTeacherWrites_ShowsTheNewEntryAtOnce(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, title: "Premier");
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Single(await ListAsync(pupil));
        var cache = app.Services.GetRequiredService<ClassHomeworkCache>();
        var loads = cache.Loads;

        await PostAsync(app, schools, title: "Second");

        Assert.Equal(2, (await ListAsync(pupil)).Length);
        // One reload per class-week the range covers (the range may straddle two weeks), not one per request.
        Assert.InRange(cache.Loads - loads, 1, 2);
    }

    [Fact]
    public async Task List_ReloadWithETag_Returns304UntilSomethingChanges()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var first = await pupil.GetAsync(ListUri());
        var etag = first.Headers.ETag ?? throw new InvalidOperationException("no ETag");

        using var again = new HttpRequestMessage(HttpMethod.Get, ListUri());
        again.Headers.IfNoneMatch.Add(etag);
        var second = await pupil.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());

        await pupil.PostAsync(new Uri($"/api/v1/homework/{id}/done", UriKind.Relative), null);
        using var afterTick = new HttpRequestMessage(HttpMethod.Get, ListUri());
        afterTick.Headers.IfNoneMatch.Add(etag);
        var third = await pupil.SendAsync(afterTick);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.NotEqual(etag, third.Headers.ETag);

        await PostAsync(app, schools, title: "Autre");
        using var afterWrite = new HttpRequestMessage(HttpMethod.Get, ListUri());
        afterWrite.Headers.IfNoneMatch.Add(third.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await pupil.SendAsync(afterWrite)).StatusCode);
    }

    [Fact]
    public async Task List_ETagOfOnePupil_DoesNotMatchForAnother()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        using var parent = await SignedInAsync(app, "parent.a1");
        var etag = (await pupil.GetAsync(ListUri())).Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, ListUri(null, $"&studentId={schools.People["pupil.a1"]}"));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag, etag.IsWeak));
        Assert.Equal(HttpStatusCode.OK, (await parent.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task List_WithAndWithoutClassFilter_NeverServesTheOtherCachedBody()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await PostAsync(app, schools, "teacher.a1", "a1");
        await PostAsync(app, schools, "teacher.a2", "a2");
        using var staff = await SignedInAsync(app, "staff.a");

        Assert.Single(await ListAsync(staff, $"&classId={schools.Classes["a1"]}"));
        Assert.Equal(2, (await ListAsync(staff)).Length);
        Assert.Single(await ListAsync(staff, $"&classId={schools.Classes["a2"]}"));
        var otherSchool = await staff.GetAsync(ListUri(null, $"&classId={schools.Classes["b1"]}"));
        Assert.Equal(HttpStatusCode.Forbidden, otherSchool.StatusCode);
    }
}
