extern alias surge;

using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.IntegrationTests.Features.Homework;
using Preau.IntegrationTests.Infrastructure;
using surge::Preau.Surge.Accounts;
using surge::Preau.Surge.Journey;
using surge::Preau.Surge.Reporting;
using surge::Preau.Surge.Running;
using surge::Preau.Surge.Schedule;
using Preau.Web.Features.Accounts;

namespace Preau.IntegrationTests.Surge;

[CollectionDefinition(nameof(SurgeScenario), DisableParallelization = true)]
public sealed class SurgeScenario;

/// <summary>
/// The surge simulator drives the real Préau (Kestrel on 127.0.0.1, real gate, real Argon2id
/// sign-ins, real database) with a short spike. More people arrive per second than the gate
/// admits, so they queue; a regression in the gate, the login lane or the homework path fails
/// the build. Only behaviour is asserted (everyone arrives and completes, no error page, the
/// gate promised a wait time): how fast it went depends on the machine and belongs in
/// BENCHMARKS.md. Runs alone (no other test competes for the cores).
/// </summary>
[Collection(nameof(SurgeScenario))]
public sealed class ClosureMorningScenarioTests
{
    private const int Pupils = 240;

    [Fact]
    public async Task Spike_GateOn_EveryJourneyCompletesWithoutAnErrorPage()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            // Fewer admissions per second than arrivals at the peak: people must queue.
            ["Gate:InitialAdmissionsPerSecond"] = "25",
            ["Gate:MaxAdmissionsPerSecond"] = "25",
            ["Gate:MaxActiveUsers"] = "60",
            ["Gate:FairStartWindow"] = "00:00:01",
            ["Gate:RefreshSeconds"] = "2",
        });
        app.UseKestrel(0);
        app.StartServer();
        var schools = await TestSchools.SeedAsync(app.Services);
        var accounts = await AddPupilsAsync(app.Services, schools.Classes["a1"], schools.RegionId, schools.Schools["a"]);
        using var teacher = app.CreateClient(); // on Kestrel, the default client knows the real address
        var target = teacher.BaseAddress!;
        await TestSchools.LoginAsync(teacher, "teacher.a1");
        var posted = await teacher.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative),
            new { title = "Lire le chapitre 4", body = "Puis résumer.", subjectId = schools.Subjects["maths"], dueDate = HomeworkTestClient.Due, estimatedMinutes = 30 });
        posted.EnsureSuccessStatusCode();
        await teacher.PostAsync(new Uri("/api/v1/auth/logout", UriKind.Relative), null); // frees the teacher's place
        var window = TimeSpan.FromSeconds(4);
        var schedule = ArrivalSchedule.Create(Pupils, window, ArrivalProfile.Spike, 42, accounts.Count);
        var settings = new SurgeSettings
        {
            Target = target,
            // Patient people: on a busy CI machine answers may be slow, and slowness is not what this test is about.
            Impatience = TimeSpan.FromSeconds(60),
            MaxReloads = 10,
            ThinkTime = TimeSpan.FromMilliseconds(200),
            DurationLimit = TimeSpan.FromMinutes(8),
            Connections = 256,
        };

        var result = await SurgeRunner.RunAsync("ci", settings, accounts, schedule,
            new RunPlanDescription(Pupils, window, ArrivalProfile.Spike, accounts.Count), new SilentProgress(), CancellationToken.None);
        var s = SummaryBuilder.Build(result);

        var report = $"arrived {s.UsersArrived}, completed {s.JourneysCompleted}, abandoned {s.UsersAbandoned}, error pages {s.UsersWithErrorPage}, " +
            $"errors {string.Join(",", s.ErrorsByKind.Where(e => e.Value > 0).Select(e => $"{e.Key}={e.Value}"))}, queued {s.UsersQueued}, " +
            $"wait-time promises {s.Eta.Samples}";
        Assert.True(s.UsersArrived == Pupils, report);
        Assert.True(s.JourneysCompleted == Pupils, report);
        Assert.True(s.UsersWithErrorPage == 0, report);
        Assert.True(s.UsersQueued > 0, "the gate was not exercised: " + report);
        Assert.True(s.Eta.Samples > 0, "no wait time was promised: " + report);
        Assert.True(s.Steps.Single(x => x.Name == "7 fait").Ok == Pupils, "every pupil ticked the homework: " + report);
    }

    /// <summary>Pupils of one class, all with the same (real Argon2id) password, and the seed-style CSV rows.</summary>
    private static async Task<List<SeedAccount>> AddPupilsAsync(IServiceProvider services, Guid classId, Guid regionId, Guid schoolId)
    {
        var hash = PasswordHasher.Hash(TestSchools.Password);
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var accounts = new List<SeedAccount>();
        for (var i = 0; i < Pupils; i++)
        {
            var pupil = new Person { RegionId = regionId, SchoolId = schoolId, Profile = Profile.Pupil, FirstName = "Élève", LastName = $"N{i:000}" };
            var login = $"eleve.n{i:000}";
            context.People.Add(pupil);
            context.Accounts.Add(new Account { PersonId = pupil.Id, Login = login, PasswordHash = hash, CreatedAt = DateTimeOffset.UtcNow });
            context.GroupMemberships.Add(new GroupMembership { GroupId = classId, PupilId = pupil.Id });
            accounts.Add(new SeedAccount(login, TestSchools.Password, UserProfile.Pupil, "0750001A", "4e1"));
        }

        await context.SaveChangesAsync();
        return accounts;
    }
}
