// One role per process (issue 17's fair measurement): the server being measured must not share its
// process with the load that measures it. bench/signin-run.sh starts them; every role that measures
// waits for a common wall-clock start (--at, Unix milliseconds) so that the storm and the reader overlap.
//   serve <port> [hashing concurrency]     the real app, seeded, until SIGTERM
//   raw <seconds> [at] [repeats]           Argon2id verifications only, one loop per core (and their CPU seconds)
//   drive <url> <workers> <seconds> [at]   sign-ins as fast as they are answered (503: retry after 20 ms)
//                                          (clients warmed before [at]; prints its own CPU seconds too)
//   reader <url>                           one signed-in pupil for a whole run, one process: reads "<at> <seconds>
//                                          <file>" lines on stdin and reads the homework page during each slice,
//                                          every duration to <file>
//   journeys <url> <users> <seconds> <password|device>
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

internal static class Roles
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static bool IsRole(string verb) => verb is "serve" or "raw" or "drive" or "reader" or "journeys";

    public static async Task RunAsync(string[] args)
    {
        switch (args[0])
        {
            case "serve":
                await ServeAsync(int.Parse(args[1], s_inv), args.Length > 2 ? args[2] : null);
                break;
            case "raw":
                await StartAtAsync(args, 2);
                // [repeats]: slices back to back in this one process (a long-lived process against fresh ones)
                for (var slice = args.Length > 3 ? int.Parse(args[3], s_inv) : 1; slice > 0; slice--)
                {
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var (hashes, time) = Bench.RawHashes(Environment.ProcessorCount, Seconds(args[1]));
                    // CPU seconds too: on a shared machine the CPU per hash moves far less than the rate.
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                    Console.WriteLine(FormattableString.Invariant($"raw {hashes} {time.TotalSeconds:0.000} {cpu.TotalSeconds:0.000}"));
                }
                break;
            case "drive":
                await DriveAsync(new Uri(args[1]), int.Parse(args[2], s_inv), Seconds(args[3]), args);
                break;
            case "reader":
                await ReaderAsync(new Uri(args[1]));
                break;
            case "journeys":
                var url = new Uri(args[1]);
                var users = int.Parse(args[2], s_inv);
                var remembered = args[4] == "device";
                var j = await Bench.JourneysAsync(() => HashesDoneAsync(url), url, users, remembered, Seconds(args[3]));
                var cores = Environment.ProcessorCount;
                Console.WriteLine(FormattableString.Invariant(
                    $"| {(remembered ? "remembered device" : "password")} | {users} | {j.PerSecond:0.0} | {j.PerSecond / cores:0.0} | {j.Duration.P50:0.0} ms | {j.Duration.P99:0.0} ms | {j.Hashes} | {j.Errors} |"));
                break;
        }
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, s_inv));

    private static async Task StartAtAsync(string[] args, int index)
    {
        if (args.Length > index && long.TryParse(args[index], s_inv, out var at))
        {
            var wait = DateTimeOffset.FromUnixTimeMilliseconds(at) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }
    }

    private static async Task ServeAsync(int port, string? hashingConcurrency)
    {
        await using var app = new SignInBenchApp(hashingConcurrency);
        var url = app.Start(port);
        await app.SeedAsync(url);
        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.TrySetResult();
        });
        Console.WriteLine($"ready {url}");
        await stop.Task;
    }

    private static async Task DriveAsync(Uri url, int workers, TimeSpan duration, string[] args)
    {
        long ok = 0, busy = 0;
        using var stop = new CancellationTokenSource();
        var cpuBefore = TimeSpan.Zero;
        var watch = new Stopwatch();
        // The workers warm up (connections, JIT) before the common start; the slice, its clock and the driver's
        // CPU count from the start.
        var warmed = 0;
        var allWarm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = Task.Run(async () =>
        {
            await allWarm.Task;
            await StartAtAsync(args, 4);
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Start();
            stop.CancelAfter(duration);
        });
        await Bench.LoginStormAsync(url, workers, () => Interlocked.Increment(ref ok), () => Interlocked.Increment(ref busy), stop.Token, () =>
        {
            if (Interlocked.Increment(ref warmed) == workers)
            {
                allWarm.TrySetResult();
            }

            return start;
        });
        // The driver's own CPU: it shares the cores with the server it measures.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine(FormattableString.Invariant($"drive {ok} {busy} {watch.Elapsed.TotalSeconds:0.000} {cpu.TotalSeconds:0.000}"));
    }

    /// <summary>Signs in once and warms up before the common start, then reads for the slice; one line per request.</summary>
    /// <summary>
    /// One reader for a whole run (bench/signin-run.sh): a fresh .NET process per slice spent about 0.9 CPU-seconds of
    /// its own start-up and JIT inside each 6-second storm (measured from /proc), a twelfth of the machine taken from
    /// the sign-ins and not from the raw loop. This one signs in and warms up once, then waits on stdin.
    /// </summary>
    private static async Task ReaderAsync(Uri url)
    {
        using var reader = await SignedInReaderAsync(url);
        Console.WriteLine("reader ready");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var fields = line.Split(' ', 3);
            await StartAtAsync(fields, 0);
            await using var output = new StreamWriter(fields[2]);
            await ReadSliceAsync(reader, Seconds(fields[1]), output);
            Console.WriteLine("slice done");
        }
    }

    private static async Task<HttpClient> SignedInReaderAsync(Uri url)
    {
        var reader = Bench.NewClient(url);
        if (!await Bench.LoginAsync(reader, SignInBenchApp.Pupil(0), remember: false))
        {
            reader.Dispose();
            throw new InvalidOperationException("the reader could not sign in");
        }
        for (var i = 0; i < 20; i++)
        {
            await Bench.GetAsync(reader, "/devoirs");
        }
        return reader;
    }

    private static async Task ReadSliceAsync(HttpClient reader, TimeSpan duration, TextWriter output)
    {
        // A pupil, not a load generator: one page every 100 ms (already far more than a person reads). A reader
        // in a closed loop took a core of its own (250 pages/s) and measured itself as much as the sign-ins.
        var period = TimeSpan.FromMilliseconds(100);
        var watch = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        while (watch.Elapsed < duration)
        {
            var one = Stopwatch.StartNew();
            await Bench.GetAsync(reader, "/devoirs");
            await output.WriteLineAsync(FormattableString.Invariant($"read {one.Elapsed.TotalMilliseconds:0.000}"));
            next += period;
            var wait = next - watch.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }
    }

    /// <summary>Argon2id verifications the server has done, from its /metrics.</summary>
    private static async Task<long> HashesDoneAsync(Uri url)
    {
        using var client = new HttpClient { BaseAddress = url };
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("preau_hashing_completed_total", StringComparison.Ordinal));
        return line is null ? -1 : (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], s_inv);
    }
}
