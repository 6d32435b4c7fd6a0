using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Preau.IntegrationTests.Features.Apps.Cas;

/// <summary>
/// Debian's Apache httpd with mod_auth_cas (libapache2-mod-auth-cas) on 127.0.0.1 and a free port, from a
/// configuration generated in a temp folder: one static page under /protege/ behind Préau's CAS server, single
/// sign-out on. mod_auth_cas validates tickets over HTTPS only, so Préau listens with a self-signed
/// certificate made here, which Apache trusts through CASCertificatePath.
/// </summary>
internal sealed class CasApache : IAsyncDisposable
{
    public const string PageText = "Page protégée des manuels numériques";

    private readonly Process _process;
    private readonly string _folder;

    private CasApache(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        PageUrl = $"http://127.0.0.1:{port}/protege/index.html";
    }

    /// <summary>The protected page, and the service URL mod_auth_cas sends to Préau.</summary>
    public string PageUrl { get; }

    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    /// <summary>A certificate for https://127.0.0.1 and its PEM file in <paramref name="folder"/>.</summary>
    public static X509Certificate2 Certificate(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(Path.Combine(folder, "preau.pem"), made.ExportCertificatePem());
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public static async Task<CasApache> StartAsync(string folder, Uri preau)
    {
        var apache = Environment.GetEnvironmentVariable("PREAU_TEST_APACHE");
        var modules = Environment.GetEnvironmentVariable("PREAU_TEST_APACHE_MODULES") ?? "/usr/lib/apache2/modules";
        Assert.True(File.Exists(apache) && File.Exists(Path.Combine(modules, "mod_auth_cas.so")),
            "PREAU_TEST_APACHE must name Apache httpd with mod_auth_cas (Debian apache2-bin and libapache2-mod-auth-cas): run the tests with ./test.sh, which installs them.");
        var port = FreePort();
        Directory.CreateDirectory(Path.Combine(folder, "www", "protege"));
        Directory.CreateDirectory(Path.Combine(folder, "cas-cache"));
        await File.WriteAllTextAsync(Path.Combine(folder, "www", "protege", "index.html"),
            $"<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Manuels</title><h1>{PageText}</h1></html>", Encoding.UTF8);
        var root = preau.ToString().TrimEnd('/');
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"ServerRoot \"{folder}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"Listen 127.0.0.1:{port}")
            .AppendLine("ServerName 127.0.0.1")
            .AppendLine(CultureInfo.InvariantCulture, $"PidFile \"{folder}/httpd.pid\"")
            .AppendLine(CultureInfo.InvariantCulture, $"ErrorLog \"{folder}/error.log\"")
            .AppendLine("LogLevel warn auth_cas:debug")
            .AppendLine(CultureInfo.InvariantCulture, $"LoadModule mpm_event_module \"{modules}/mod_mpm_event.so\"")
            .AppendLine(CultureInfo.InvariantCulture, $"LoadModule authn_core_module \"{modules}/mod_authn_core.so\"")
            .AppendLine(CultureInfo.InvariantCulture, $"LoadModule authz_core_module \"{modules}/mod_authz_core.so\"")
            .AppendLine(CultureInfo.InvariantCulture, $"LoadModule authz_user_module \"{modules}/mod_authz_user.so\"")
            .AppendLine(CultureInfo.InvariantCulture, $"LoadModule auth_cas_module \"{modules}/mod_auth_cas.so\"")
            .AppendLine(CultureInfo.InvariantCulture, $"LoadModule mime_module \"{modules}/mod_mime.so\"")
            .AppendLine("TypesConfig /dev/null")
            .AppendLine("AddType text/html .html")
            .AppendLine(CultureInfo.InvariantCulture, $"DocumentRoot \"{folder}/www\"")
            .AppendLine(CultureInfo.InvariantCulture, $"CASLoginURL {root}/cas/login")
            .AppendLine(CultureInfo.InvariantCulture, $"CASValidateURL {root}/cas/p3/serviceValidate")
            .AppendLine("CASVersion 2")
            .AppendLine(CultureInfo.InvariantCulture, $"CASCookiePath \"{folder}/cas-cache/\"")
            .AppendLine(CultureInfo.InvariantCulture, $"CASCertificatePath \"{folder}/preau.pem\"")
            .AppendLine("CASSSOEnabled On")
            .AppendLine("CASDebug On")
            .AppendLine("<Location /protege>")
            .AppendLine("  AuthType CAS")
            .AppendLine("  Require valid-user")
            .AppendLine("</Location>");
        if (OperatingSystem.IsLinux() && Environment.UserName == "root")
        {
            // Apache refuses to serve as root: its workers run as www-data, who must read the page and
            // certificate and write the ticket cache.
            config.AppendLine("User www-data").AppendLine("Group www-data");
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
            File.SetUnixFileMode(Path.Combine(folder, "cas-cache"), (UnixFileMode)Convert.ToInt32("777", 8));
        }
        var file = Path.Combine(folder, "httpd.conf");
        await File.WriteAllTextAsync(file, config.ToString());

        var start = new ProcessStartInfo(apache!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", file, "-DFOREGROUND" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new CasApache(process, folder, port);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        await server.DisposeAsync();
        lock (output)
        {
            throw new InvalidOperationException($"Apache did not start:\n{output}\n{server.ErrorLog}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a worker still closing a file: the temp folder is cleaned by the OS later
        }
    }
}
