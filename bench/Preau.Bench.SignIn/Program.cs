// Sign-in at the speed of the machine (issue 17), side by side in one run:
//   1. raw Argon2id rate: one verification loop per core, nothing else;
//   2. sign-in throughput through HTTP with the adaptive lane, the old fixed lane (cores − 1) and a lane fixed at cores,
//      while one signed-in pupil reads the homework page in a loop (its p50/p99);
//      1 and 2 run in short interleaved slices (raw, adaptive, fixed, raw, …) so that all see the same load;
//   3. cold journeys (sign-in, dashboard, homework page, sign-out), closed loop, with a password and
//      with a remembered device, in journeys per second and per core.
// Usage: dotnet run -c Release --project bench/Preau.Bench.SignIn -- [seconds per slice=4] [login workers=16] [journey users=8,32] [rounds=5]
// (journey phases last two slices each)
// The same pieces as separate processes, so that the load generator does not share the measured process
// (bench/signin-run.sh drives them; see Roles below): serve, raw, drive, read, journeys.
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
using Preau.Data.Timetable;
using Preau.Web.Features.Accounts;

internal static class Bench
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && Roles.IsRole(args[0]))
        {
            await Roles.RunAsync(args);
            return;
        }

        var seconds = args.Length > 0 ? int.Parse(args[0], s_inv) : 4;
        var workers = args.Length > 1 ? int.Parse(args[1], s_inv) : 16;
        var journeyUsers = (args.Length > 2 ? args[2] : "8,32").Split(',').Select(s => int.Parse(s, s_inv)).ToArray();
        var rounds = args.Length > 3 ? int.Parse(args[3], s_inv) : 5;
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"# {cores} cores, {rounds} rounds of {seconds} s slices, {workers} login workers, journeys at {string.Join(" and ", journeyUsers)} users; " +
            $"load average before: {LoadAverage()}");

        // The machine is shared: the raw rate and both lanes run in short interleaved slices, so that
        // each sees the same mix of other people's load.
        var slice = TimeSpan.FromSeconds(seconds);
        await using var adaptive = new SignInBenchApp(null);
        await using var fixedLane = new SignInBenchApp(Math.Max(1, cores - 1).ToString(s_inv));
        // Every core hashing all the time: the ceiling of the HTTP path, whatever it does to pages.
        await using var allCores = new SignInBenchApp(cores.ToString(s_inv));
        var lanes = new List<Storm>();
        foreach (var (name, app) in new[] { ("adaptive lane (1…cores)", adaptive), ("fixed lane (cores − 1, before)", fixedLane), ("fixed lane (cores)", allCores) })
        {
            var baseAddress = app.Start();
            await app.SeedAsync(baseAddress);
            lanes.Add(await Storm.PrepareAsync(name, app, baseAddress));
        }

        long rawHashes = 0;
        var rawTime = TimeSpan.Zero;
        for (var round = 0; round < rounds; round++)
        {
            var (hashes, time) = RawHashes(cores, slice);
            rawHashes += hashes;
            rawTime += time;
            foreach (var lane in lanes)
            {
                await lane.RunSliceAsync(workers, slice);
            }
        }

        var raw = rawHashes / rawTime.TotalSeconds;
        Console.WriteLine($"raw Argon2id: {raw:0.0} verifications/s on {cores} threads ({rawHashes} in {rawTime.TotalSeconds:0.0} s)");
        Console.WriteLine();
        Console.WriteLine("| lane | sign-ins/s (HTTP) | ÷ raw Argon2id rate | 503 held | lane size (samples) | homework page p50 | p99 | homework samples |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|---:|---:|");
        foreach (var lane in lanes)
        {
            var homework = Stats.Of(lane.Samples);
            Console.WriteLine($"| {lane.Name} | {lane.PerSecond:0.0} | {lane.PerSecond / raw:0.00}× | {lane.Busy} | {lane.LaneSizes} | " +
                $"{Ms(homework.P50)} | {Ms(homework.P99)} | {homework.Count} |");
        }

        var journeyRows = new List<string>();
        foreach (var users in journeyUsers)
        {
            foreach (var remembered in new[] { false, true })
            {
                var j = await JourneysAsync(adaptive, lanes[0].BaseAddress, users, remembered, TimeSpan.FromSeconds(seconds * 2));
                journeyRows.Add($"| {(remembered ? "remembered device" : "password")} | {users} | {j.PerSecond:0.0} | {j.PerSecond / cores:0.0} | " +
                    $"{Ms(j.Duration.P50)} | {Ms(j.Duration.P99)} | {j.Hashes} | {j.Errors} |");
            }
        }

        Console.WriteLine($"# load average after: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| sign-in | users | journeys/s | per core | journey p50 | p99 | Argon2id hashes | sign-ins held (waited 2 s) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        journeyRows.ForEach(Console.WriteLine);
    }

    /// <summary>Argon2id verifications with one loop per core and nothing else running.</summary>
    internal static (long Hashes, TimeSpan Time) RawHashes(int threads, TimeSpan duration)
    {
        var phc = PasswordHasher.Hash(SignInBenchApp.Password);
        long done = 0;
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            while (watch.Elapsed < duration)
            {
                PasswordHasher.Verify(phc, SignInBenchApp.Password);
                Interlocked.Increment(ref done);
            }
        })).ToList();
        loops.ForEach(t => t.Start());
        loops.ForEach(t => t.Join());
        return (done, watch.Elapsed);
    }

    /// <summary>One lane under a login storm, measured slice by slice: login workers post good passwords
    /// as fast as they are answered (a 503 is retried after 20 ms) while one signed-in pupil reads the
    /// homework page in a loop.</summary>
    private sealed class Storm(string name, SignInBenchApp app, Uri baseAddress, HttpClient reader)
    {
        private long _ok;
        private long _busy;
        private TimeSpan _time;
        private readonly Dictionary<int, int> _sizes = [];

        public string Name => name;
        public Uri BaseAddress => baseAddress;
        public List<double> Samples { get; } = [];
        public long Busy => _busy;
        public double PerSecond => _ok / _time.TotalSeconds;
        public string LaneSizes => string.Join(", ", _sizes.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));

        public static async Task<Storm> PrepareAsync(string name, SignInBenchApp app, Uri baseAddress)
        {
            var reader = NewClient(baseAddress);
            await LoginAsync(reader, SignInBenchApp.Pupil(0), remember: false);
            for (var i = 0; i < 20; i++)
            {
                await GetAsync(reader, "/devoirs");
            }

            return new Storm(name, app, baseAddress, reader);
        }

        public async Task RunSliceAsync(int workers, TimeSpan duration)
        {
            var lane = app.Services.GetRequiredService<HashingLane>();
            using var stop = new CancellationTokenSource(duration);
            var watch = Stopwatch.StartNew();
            var storm = LoginStormAsync(baseAddress, workers, () => Interlocked.Increment(ref _ok), () => Interlocked.Increment(ref _busy), stop.Token);

            var lastSize = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                var one = Stopwatch.StartNew();
                await GetAsync(reader, "/devoirs");
                Samples.Add(one.Elapsed.TotalMilliseconds);
                if (lastSize.ElapsedMilliseconds >= 250)
                {
                    _sizes[lane.Size] = _sizes.GetValueOrDefault(lane.Size) + 1;
                    lastSize.Restart();
                }
            }

            await storm;
            _time += watch.Elapsed;
        }
    }

    /// <summary>Login workers post good passwords as fast as they are answered; a 503 is retried after 20 ms.</summary>
    internal static Task LoginStormAsync(Uri baseAddress, int workers, Action ok, Action busy, CancellationToken stop,
        Func<Task>? warmed = null) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            using var client = NewClient(baseAddress);
            if (warmed is not null)
            {
                // Warm this client before the common start: its connection, and the driver's own JIT of the request
                // path, with a login the server refuses before any hash (400), so the storm measures sign-ins.
                using var warm = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { login = "" }, stop);
                await warmed();
            }

            var n = w;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative),
                        new { login = SignInBenchApp.Pupil(1 + (n++ % (SignInBenchApp.Pupils - 1))), password = SignInBenchApp.Password }, stop);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        ok();
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        busy();
                        await Task.Delay(20, stop);
                    }
                    else
                    {
                        throw new InvalidOperationException($"login answered {(int)response.StatusCode}");
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        })));

    internal sealed record JourneyResult(double PerSecond, Stats Duration, long Hashes, long Errors);

    /// <summary>Closed loop: each user signs in, opens the dashboard and the homework page, signs out, again.
    /// With <paramref name="remembered"/>, the device was remembered once beforehand and every sign-in uses it.</summary>
    private static Task<JourneyResult> JourneysAsync(SignInBenchApp app, Uri baseAddress, int users, bool remembered, TimeSpan duration)
    {
        var lane = app.Services.GetRequiredService<HashingLane>();
        return JourneysAsync(() => Task.FromResult(lane.Completed), baseAddress, users, remembered, duration);
    }

    /// <summary>Closed-loop journeys; <paramref name="hashesDone"/> reads the server's count of Argon2id verifications.</summary>
    internal static async Task<JourneyResult> JourneysAsync(Func<Task<long>> hashesDone, Uri baseAddress, int users, bool remembered, TimeSpan duration)
    {
        var clients = new List<HttpClient>();
        for (var u = 0; u < users; u++)
        {
            var client = NewClient(baseAddress);
            if (remembered)
            {
                await LoginAsync(client, SignInBenchApp.Pupil(u % SignInBenchApp.Pupils), remember: true);
                await PostAsync(client, "/api/v1/auth/logout");
            }

            clients.Add(client);
        }

        var hashesBefore = await hashesDone();
        using var stop = new CancellationTokenSource(duration);
        var durations = new List<double>();
        long errors = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, u) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var one = Stopwatch.StartNew();
                try
                {
                    var signedIn = remembered
                        ? await PostAsync(client, "/api/v1/auth/device")
                        : await LoginAsync(client, SignInBenchApp.Pupil(u % SignInBenchApp.Pupils), remember: false);
                    if (!signedIn)
                    {
                        // held by the hashing lane: wait as its Retry-After says (2 s), as the held page does
                        Interlocked.Increment(ref errors);
                        await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
                        continue;
                    }

                    await GetAsync(client, "/");
                    await GetAsync(client, "/devoirs");
                    await PostAsync(client, "/api/v1/auth/logout");
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lock (durations)
                {
                    durations.Add(one.Elapsed.TotalMilliseconds);
                }
            }
        })));
        var elapsed = watch.Elapsed.TotalSeconds;
        clients.ForEach(c => c.Dispose());
        return new JourneyResult(durations.Count / elapsed, Stats.Of(durations), await hashesDone() - hashesBefore, errors);
    }

    internal static HttpClient NewClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };

    internal static async Task<bool> LoginAsync(HttpClient client, string login, bool remember)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative),
            new { login, password = SignInBenchApp.Password, remember });
        return response.IsSuccessStatusCode;
    }

    internal static async Task<bool> PostAsync(HttpClient client, string path)
    {
        using var content = JsonContent.Create(new { });
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return response.IsSuccessStatusCode;
    }

    internal static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
        }

        await response.Content.ReadAsByteArrayAsync();
    }

    private static string Ms(double ms) => ms.ToString("0.0", s_inv) + " ms";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}

internal sealed record Stats(double P50, double P99, int Count)
{
    public static Stats Of(List<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Stats(0, 0, 0);
        }

        var sorted = samples.Order().ToArray();
        return new Stats(sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted.Length);
    }
}

/// <summary>The real app on Kestrel (loopback, free port), fresh SQLite file, gate off, and one class
/// with a realistic week: 26 lessons, 20 homework entries posted through the API by the teacher.</summary>
internal sealed class SignInBenchApp(string? fixedLane) : WebApplicationFactory<global::Program>
{
    public const string Password = "Preau-bench-2026!";
    public const int Pupils = 120;
    private readonly string _data = Directory.CreateTempSubdirectory("preau-signin-bench-").FullName;

    public static string Pupil(int i) => $"bench.pupil{i}";

    public Uri Start(int port = 0)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "src", "Preau.Web")))
        {
            root = root.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PREAU_WEB", Path.Combine(root?.FullName ?? ".", "src", "Preau.Web"));
        UseKestrel(port);
        StartServer();
        using var client = CreateClient();
        return client.BaseAddress!;
    }

    public async Task SeedAsync(Uri baseAddress)
    {
        var hash = PasswordHasher.Hash(Password);
        var now = DateTimeOffset.UtcNow;
        Guid groupId;
        List<Guid> subjectIds;
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            var region = new Region { Code = "BENCH", Name = "Académie de mesure" };
            var school = new School { RegionId = region.Id, Uai = "0759999Z", Name = "Collège Mesure", City = "Paris" };
            var group = new Group { SchoolId = school.Id, Name = "4eB", Kind = GroupKind.Class, Level = "4e" };
            groupId = group.Id;
            db.AddRange(region, school, group);
            var subjects = new[] { "Mathématiques", "Français", "Histoire-géographie", "Anglais", "SVT", "Physique-chimie" }
                .Select((n, i) => new Subject { RegionId = region.Id, Code = $"S{i}", Name = n }).ToList();
            subjectIds = subjects.Select(s => s.Id).ToList();
            db.AddRange(subjects);
            var teacher = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = Profile.Teacher, FirstName = "Bench", LastName = "PROF" };
            db.Add(teacher);
            db.Add(new Account { PersonId = teacher.Id, Login = "bench.teacher", PasswordHash = hash, CreatedAt = now });
            db.AddRange(subjects.Select(s => new TeachingAssignment { TeacherId = teacher.Id, GroupId = group.Id, SubjectId = s.Id }));
            for (var i = 0; i < Pupils; i++)
            {
                var pupil = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = Profile.Pupil, FirstName = $"Élève{i}", LastName = "MESURE" };
                db.Add(pupil);
                db.Add(new Account { PersonId = pupil.Id, Login = Pupil(i), PasswordHash = hash, CreatedAt = now });
                db.Add(new GroupMembership { GroupId = group.Id, PupilId = pupil.Id });
            }

            var slot = 0;
            foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
            {
                for (var h = 8; h < (day == DayOfWeek.Wednesday ? 12 : 17); h++)
                {
                    if (h != 12)
                    {
                        db.Add(new TimetableLesson
                        {
                            SchoolId = school.Id, GroupId = group.Id, SubjectId = subjects[slot++ % subjects.Count].Id, TeacherId = teacher.Id,
                            Room = $"B{10 + h}", Day = day, Start = new TimeOnly(h, 0), End = new TimeOnly(h, 55),
                        });
                    }
                }
            }

            await db.SaveChangesAsync();
        }

        using var teacherClient = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
        (await teacherClient.PostAsJsonAsync("/api/v1/auth/login", new { login = "bench.teacher", password = Password })).EnsureSuccessStatusCode();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < 20; i++)
        {
            (await teacherClient.PostAsJsonAsync($"/api/v1/classes/{groupId}/homework", new
            {
                title = $"Travail n°{i} : exercices et leçon",
                body = "Relire la leçon **chapitre 4** puis faire :\n\n- l'exercice 12 page 87\n- l'exercice 15 page 88\n\nRendre sur feuille double. Voir https://example.org/ressource",
                subjectId = subjectIds[i % subjectIds.Count],
                dueDate = today.AddDays(i % 7),
                estimatedMinutes = 20 + (i % 4) * 10,
            })).EnsureSuccessStatusCode();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Storage:DataDirectory", _data);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Gate:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Antiforgery", "Error");
        builder.UseSetting("Accounts:LockoutThreshold", "1000");
        if (fixedLane is not null)
        {
            builder.UseSetting("Accounts:HashingConcurrency", fixedLane);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
