// Latency of a signed-in user's requests, calm and during a login burst, side by side in one run.
// Usage: dotnet run -c Release --project bench/Preau.Bench -- [requests per phase] [burst workers]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

internal static class Bench
{
    public static async Task Main(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        Console.WriteLine($"# {Environment.ProcessorCount} cores, {requests} signed-in requests per phase, {workers} concurrent login workers");
        var phc = PasswordHasher.Hash(BenchApp.Password);
        PasswordHasher.Verify(phc, BenchApp.Password);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            PasswordHasher.Verify(phc, BenchApp.Password);
        }

        Console.WriteLine($"# one Argon2id verification (m=19 MiB, t=2, p=1): {wall.Elapsed.TotalMilliseconds / 20:0.0} ms wall, " +
            $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 20:0.0} ms CPU (mean of 20)");

        var rows = new List<string[]>();
        var lanes = new (string Name, string Concurrency, string Queue)[]
        {
            ("bounded lane (default: cores-1, queue 32)", "", "32"),
            ("wide lane (64 hashing threads, queue 1000)", "64", "1000"),
        };
        double? calmBaseline = null;
        foreach (var (name, concurrency, queue) in lanes)
        {
            await using var app = new BenchApp(concurrency, queue);
            var baseAddress = app.Start();
            await app.SeedAsync();
            using var handler = new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), MaxConnectionsPerServer = 4 };
            using var signedIn = new HttpClient(handler) { BaseAddress = baseAddress };
            (await signedIn.PostAsJsonAsync("/api/v1/auth/login", new { login = "bench.teacher", password = BenchApp.Password })).EnsureSuccessStatusCode();

            // Warm-up: JIT, connection pools, EF query cache.
            await MeasureAsync(signedIn, 50);
            var calm = await MeasureAsync(signedIn, requests);
            calmBaseline ??= calm.Median;

            using var stop = new CancellationTokenSource();
            var outcomes = new Burst();
            var burst = Enumerable.Range(0, workers).Select(i => Task.Run(() => outcomes.RunAsync(baseAddress, i, stop.Token))).ToList();
            await Task.Delay(1000);
            var lane = app.Services.GetRequiredService<HashingLane>();
            var queuedAtStart = lane.QueueLength;
            var stormy = await MeasureAsync(signedIn, requests);
            var queuedAtEnd = lane.QueueLength;
            await stop.CancelAsync();
            await Task.WhenAll(burst);

            rows.Add([name, "calm", Ms(calm.Median), Ms(calm.P95), Ms(calm.P99), Ms(calm.Max), Ratio(calm.Median, calmBaseline.Value), "", ""]);
            rows.Add([name, $"login burst (queue {queuedAtStart}→{queuedAtEnd})", Ms(stormy.Median), Ms(stormy.P95), Ms(stormy.P99), Ms(stormy.Max),
                Ratio(stormy.Median, calmBaseline.Value),
                $"{outcomes.Ok + outcomes.Refused} answered / {outcomes.Busy} busy 503 / {outcomes.Other} other",
                (outcomes.Ok + outcomes.Refused + outcomes.Busy).ToString(CultureInfo.InvariantCulture) + $" in {outcomes.Seconds:0.0} s"]);
        }

        Console.WriteLine();
        Console.WriteLine("| lane | phase | GET /api/v1/me + GET / p50 | p95 | p99 | max | p50 vs calm (bounded) | logins during burst | login answers |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }
    }

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
    private static string Ratio(double value, double baseline) => (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "×";

    // One "signed-in user" sample: the JSON profile and the home page, one after the other.
    private static async Task<Stats> MeasureAsync(HttpClient client, int count)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var me = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative)))
            {
                me.EnsureSuccessStatusCode();
            }

            using (var home = await client.GetAsync(new Uri("/", UriKind.Relative)))
            {
                home.EnsureSuccessStatusCode();
            }

            samples[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return new Stats(samples[count / 2], samples[(int)(count * 0.95)], samples[(int)(count * 0.99)], samples[^1]);
    }
}

internal sealed record Stats(double Median, double P95, double P99, double Max);

/// <summary>Login workers hammering the API: half good passwords, half unknown logins.</summary>
internal sealed class Burst
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    public int Ok;
    public int Refused;
    public int Busy;
    public int Other;

    public double Seconds => _clock.Elapsed.TotalSeconds;

    public async Task RunAsync(Uri baseAddress, int worker, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var body = n++ % 2 == 0
                ? new { login = "bench.pupil", password = BenchApp.Password }
                : new { login = $"inconnu.{worker}.{n}", password = BenchApp.Password };
            try
            {
                using var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), body, stop);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK: Interlocked.Increment(ref Ok); break;
                    case HttpStatusCode.Unauthorized: Interlocked.Increment(ref Refused); break;
                    case HttpStatusCode.ServiceUnavailable:
                        Interlocked.Increment(ref Busy);
                        // A well-behaved client honours Retry-After; a storm does not: retry soon.
                        await Task.Delay(50, stop);
                        break;
                    default: Interlocked.Increment(ref Other); break;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>The real app on Kestrel (loopback, free port) on a fresh SQLite file.</summary>
internal sealed class BenchApp(string concurrency, string queue) : WebApplicationFactory<global::Program>
{
    public const string Password = "Preau-bench-2026!";
    private readonly string _data = Directory.CreateTempSubdirectory("preau-bench-").FullName;

    public Uri Start()
    {
        // The factory guesses the content root from a solution file; tell it where the web app is.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "src", "Preau.Web")))
        {
            root = root.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PREAU_WEB",
            Path.Combine(root?.FullName ?? ".", "src", "Preau.Web"));
        UseKestrel(0);
        StartServer();
        using var client = CreateClient();
        return client.BaseAddress!;
    }

    public async Task SeedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var region = new Region { Code = "BENCH", Name = "Académie de mesure" };
        var school = new School { RegionId = region.Id, Uai = "0759999Z", Name = "Collège Mesure", City = "Paris" };
        var group = new Group { SchoolId = school.Id, Name = "4e1", Kind = GroupKind.Class, Level = "4e" };
        var subject = new Subject { RegionId = region.Id, Code = "MATHS", Name = "Mathématiques" };
        var teacher = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = Profile.Teacher, FirstName = "Bench", LastName = "PROF" };
        var pupil = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = Profile.Pupil, FirstName = "Bench", LastName = "ÉLÈVE" };
        var hash = PasswordHasher.Hash(Password);
        db.AddRange(region, school, group, subject, teacher, pupil);
        db.Add(new TeachingAssignment { TeacherId = teacher.Id, GroupId = group.Id, SubjectId = subject.Id });
        db.Add(new GroupMembership { GroupId = group.Id, PupilId = pupil.Id });
        db.Add(new Account { PersonId = teacher.Id, Login = "bench.teacher", PasswordHash = hash, CreatedAt = DateTimeOffset.UtcNow });
        db.Add(new Account { PersonId = pupil.Id, Login = "bench.pupil", PasswordHash = hash, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Storage:DataDirectory", _data);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Failures to unknown logins would otherwise lock them after 10 tries; the burst uses fresh ones anyway.
        builder.UseSetting("Accounts:LockoutThreshold", "1000");
        builder.UseSetting("Accounts:HashingQueue", queue);
        if (concurrency.Length > 0)
        {
            builder.UseSetting("Accounts:HashingConcurrency", concurrency);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
