using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Diagnostics;

/// <summary>
/// Issue 12: a third-party tool compares the live API with its OpenAPI document. Stoplight Prism runs as a
/// validation proxy in front of Préau on Kestrel; every answer it relays is checked against the document
/// (status documented, body matching its schema) and a mismatch comes back in its <c>sl-violations</c> header.
/// The requests are those real clients send: every profile reading every list, bad and oversized bodies,
/// wrong credentials, a wrong profile, ids that do not exist. (Not a body that is not JSON at all: Prism
/// cannot relay one and leaves the request hanging; the API's 400 for it is tested directly.)
/// </summary>
public sealed class OpenApiContractTests
{
    [Fact]
    public async Task LiveApi_ThroughPrismValidationProxy_EveryResponseMatchesTheDocument()
    {
        var prism = Environment.GetEnvironmentVariable("PREAU_TEST_PRISM");
        Assert.True(File.Exists(prism), "PREAU_TEST_PRISM must name Stoplight Prism: run the tests with ./test.sh, which installs it.");
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        app.UseKestrel(0);
        app.StartServer();
        var schools = await TestSchools.SeedAsync(app.Services);
        using var direct = app.CreateClient();
        var document = Path.Combine(db.DataDirectory, "openapi.json");
        var json = await direct.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        await File.WriteAllTextAsync(document, json);
        await using var proxy = await PrismProxy.StartAsync(prism!, document, direct.BaseAddress!);
        var calls = new Calls(proxy.Address);

        using (var anonymous = calls.Client())
        {
            await calls.ExpectAsync(anonymous, HttpMethod.Get, "/api/v1/hello", 200);
            await calls.ExpectAsync(anonymous, HttpMethod.Get, "/api/v1/me", 401);
            await calls.ExpectAsync(anonymous, HttpMethod.Get, $"/api/v1/homework/{Guid.NewGuid()}", 401);
            await calls.ExpectAsync(anonymous, HttpMethod.Post, "/api/v1/auth/login", 401, Json(new { login = "pupil.a1", password = "pas-le-bon" }));
            await calls.ExpectAsync(anonymous, HttpMethod.Post, "/api/v1/auth/login", 401, Json(new { login = "personne.ici", password = "pas-le-bon" }));
            await calls.ExpectAsync(anonymous, HttpMethod.Post, "/api/v1/auth/login", 400, Json(new { login = "", password = "" }));
            await calls.ExpectAsync(anonymous, HttpMethod.Post, "/api/v1/auth/login", 415, new StringContent("login=pupil.a1", Encoding.UTF8, "text/plain"));
            await calls.ExpectAsync(anonymous, HttpMethod.Post, "/api/v1/auth/login", 413, Json(new { login = "pupil.a1", password = new string('x', 5000) }));
            await calls.ExpectAsync(anonymous, HttpMethod.Post, "/api/v1/auth/device", 401, Json(new { }));
        }

        var lists = ParameterlessGets(json);
        Assert.Contains("/api/v1/messages", lists);
        foreach (var login in new[] { "pupil.a1", "parent.a1", "teacher.a1", "staff.a", "schooladmin.a", "regionadmin" })
        {
            using var client = calls.Client();
            await calls.ExpectAsync(client, HttpMethod.Post, "/api/v1/auth/login", 200, Json(new { login, password = TestSchools.Password }));
            foreach (var path in lists)
            {
                await calls.ExpectAsync(client, HttpMethod.Get, path, null);
            }

            foreach (var path in new[] { "/api/v1/homework/{0}", "/api/v1/messages/{0}", "/api/v1/news/{0}", "/api/v1/messages/drafts/{0}" })
            {
                // 404 for most, 403 where the profile may not read that kind at all: both documented.
                await calls.ExpectAsync(client, HttpMethod.Get, path.Replace("{0}", Guid.NewGuid().ToString(), StringComparison.Ordinal), null);
            }
        }

        using (var pupil = calls.Client())
        {
            await calls.ExpectAsync(pupil, HttpMethod.Post, "/api/v1/auth/login", 200, Json(new { login = "pupil.a1", password = TestSchools.Password }));
            await calls.ExpectAsync(pupil, HttpMethod.Post, "/api/v1/messages", null, Json(new
            {
                to = new[] { schools.People["teacher.a1"].ToString() },
                subject = "Exercice 4",
                body = "Bonjour, je ne comprends pas la question 2.",
                draftId = (Guid?)null,
                forwardOf = (Guid?)null,
            }));
            await calls.ExpectAsync(pupil, HttpMethod.Post, "/api/v1/news", 403, Json(new { title = "Pas permis" }));
            await calls.ExpectAsync(pupil, HttpMethod.Post, "/api/v1/timeline/seen", 204);
            await calls.ExpectAsync(pupil, HttpMethod.Post, "/api/v1/auth/logout", 204);
        }

        using (var teacher = calls.Client())
        {
            await calls.ExpectAsync(teacher, HttpMethod.Post, "/api/v1/auth/login", 200, Json(new { login = "teacher.a1", password = TestSchools.Password }));
            await calls.ExpectAsync(teacher, HttpMethod.Get, "/api/v1/messages", 200);
            await calls.ExpectAsync(teacher, HttpMethod.Get, "/api/v1/messages/unread-count", 200);
        }

        Assert.True(calls.Violations.Count == 0, "Réponses contraires au document OpenAPI :\n" + string.Join("\n", calls.Violations));
    }

    private static JsonContent Json(object body) => JsonContent.Create(body);

    /// <summary>GET operations under /api/v1 without path parameters: the lists every profile reads.</summary>
    private static List<string> ParameterlessGets(string document)
    {
        using var doc = JsonDocument.Parse(document);
        return [.. doc.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal) && !p.Name.Contains('{', StringComparison.Ordinal)
                && p.Value.TryGetProperty("get", out _))
            .Select(p => p.Name)];
    }

    /// <summary>Sends requests through the proxy and keeps every mismatch Prism reports about a response.</summary>
    private sealed class Calls(Uri proxy)
    {
        public List<string> Violations { get; } = [];

        public HttpClient Client() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = proxy,
            Timeout = TimeSpan.FromSeconds(120),
        };

        /// <summary><paramref name="expected"/> null: any status the document lists is fine.</summary>
        public async Task ExpectAsync(HttpClient client, HttpMethod method, string path, int? expected, HttpContent? body = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body };
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            if (expected is { } wanted)
            {
                Assert.True(wanted == status, $"{method} {path}: {status} au lieu de {wanted} ({await response.Content.ReadAsStringAsync()})");
            }

            if (response.Headers.TryGetValues("sl-violations", out var values))
            {
                foreach (var violation in JsonDocument.Parse(string.Join("", values)).RootElement.EnumerateArray()
                    .Where(v => v.GetProperty("location")[0].GetString() == "response"))
                {
                    Violations.Add($"{method} {path} → {status} : {violation.GetProperty("message").GetString()}");
                }
            }
        }
    }

    /// <summary>Prism's validation proxy on a free local port, stopped with the test.</summary>
    private sealed class PrismProxy(Process process, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public static async Task<PrismProxy> StartAsync(string prism, string document, Uri upstream)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(prism) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "proxy", document, upstream.ToString().TrimEnd('/'), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var log = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var proxy = new PrismProxy(process, new Uri($"http://127.0.0.1:{port}/"));
            // Generous: node starts slowly on a busy two-core machine.
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return proxy;
                }
                catch (SocketException)
                {
                    await Task.Delay(250);
                }
            }

            await proxy.DisposeAsync();
            string output;
            lock (log)
            {
                output = log.ToString();
            }

            throw new InvalidOperationException($"Prism did not start:\n{output}");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
