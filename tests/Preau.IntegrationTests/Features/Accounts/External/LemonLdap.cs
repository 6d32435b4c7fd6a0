using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Preau.IntegrationTests.Features.Accounts.External;

/// <summary>
/// Debian's LemonLDAP::NG portal (an OpenID Connect provider used by French administrations) served by
/// plackup on 127.0.0.1, from a configuration generated in a temp folder: Demo authentication (dwho,
/// rtyler, msmith; password = login), one relying party for Préau, and an <c>ine</c> claim computed
/// by a macro for dwho. Missing software fails the test: run the tests with ./test.sh.
/// </summary>
internal sealed class LemonLdap : IAsyncDisposable
{
    public const string ClientId = "preau";
    public const string ClientSecret = "secret-preau-test";

    /// <summary>A second relying party, with the same redirect URI, whose codes Préau must not accept.</summary>
    public const string OtherClientId = "autre-appli";

    /// <summary>The INE the provider sends for dwho.</summary>
    public const string DwhoIne = "070803070AJ";

    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private LemonLdap(Process process, DirectoryInfo folder, Uri portal)
    {
        _process = process;
        _folder = folder;
        Portal = portal;
    }

    public Uri Portal { get; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the portal on <paramref name="port"/>, trusting <paramref name="redirectUri"/> for Préau.</summary>
    public static async Task<LemonLdap> StartAsync(int port, string redirectUri)
    {
        var psgi = Environment.GetEnvironmentVariable("PREAU_TEST_LLNG_PSGI") is { Length: > 0 } set
            ? set
            : "/usr/share/lemonldap-ng/portal/htdocs/index.psgi";
        Assert.True(File.Exists(psgi), $"LemonLDAP::NG is missing ({psgi}): run the tests with ./test.sh, which installs lemonldap-ng.");
        Assert.True(File.Exists("/usr/bin/plackup"), "plackup is missing (Debian libplack-perl, a dependency of lemonldap-ng).");

        var folder = Directory.CreateTempSubdirectory("preau-llng-");
        foreach (var sub in new[] { "conf", "sessions/lock", "psessions/lock", "cache" })
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, sub));
        }

        var portal = new Uri($"http://127.0.0.1:{port}/");
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "conf", "lmConf-1.json"), Configuration(folder.FullName, portal, redirectUri));
        var ini = Path.Combine(folder.FullName, "lemonldap-ng.ini");
        await File.WriteAllTextAsync(ini, $"""
            [all]
            logLevel = warn
            checkTime = 1
            [configuration]
            type = File
            dirName = {folder.FullName}/conf
            localStorage = Cache::FileCache
            localStorageOptions = {"{"} 'namespace' => 'lemonldap-ng-config', 'default_expires_in' => 600, 'cache_root' => '{folder.FullName}/cache', 'cache_depth' => 3 {"}"}
            [portal]
            templateDir = /usr/share/lemonldap-ng/portal/templates
            languages = fr, en
            [handler]
            status = 0
            """);

        var start = new ProcessStartInfo("/usr/bin/plackup")
        {
            ArgumentList = { "-s", "HTTP::Server::PSGI", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), psgi },
            WorkingDirectory = folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LLNG_DEFAULTCONFFILE"] = ini;
        var process = Process.Start(start) ?? throw new InvalidOperationException("plackup did not start.");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var provider = new LemonLdap(process, folder, portal);

        // Generous: Perl loads the whole portal on a busy two-core machine.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var discovery = await http.GetAsync(new Uri(portal, ".well-known/openid-configuration"));
                if (discovery.IsSuccessStatusCode)
                {
                    return provider;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (process.HasExited || DateTime.UtcNow > until)
            {
                await provider.DisposeAsync();
                string text;
                lock (log)
                {
                    text = log.ToString();
                }

                throw new InvalidOperationException("LemonLDAP::NG did not serve its discovery document:\n" + text);
            }

            await Task.Delay(200);
        }
    }

    private static string Configuration(string folder, Uri portal, string redirectUri)
    {
        using var rsa = RSA.Create(2048);
        JsonObject Rp(string id, string secret) => new()
        {
            ["oidcRPMetaDataOptionsClientID"] = id,
            ["oidcRPMetaDataOptionsClientSecret"] = secret,
            ["oidcRPMetaDataOptionsRedirectUris"] = redirectUri,
            ["oidcRPMetaDataOptionsIDTokenSignAlg"] = "RS256",
            ["oidcRPMetaDataOptionsBypassConsent"] = 1,
            ["oidcRPMetaDataOptionsRequirePKCE"] = 1,
            ["oidcRPMetaDataOptionsPublic"] = 0,
            ["oidcRPMetaDataOptionsIDTokenForceClaims"] = 1,
        };
        JsonObject Claims() => new() { ["preferred_username"] = "uid", ["name"] = "cn", ["email"] = "mail", ["ine"] = "ine" };
        var conf = new JsonObject
        {
            ["cfgNum"] = 1,
            ["cfgAuthor"] = "Préau tests",
            ["cfgDate"] = "1700000000",
            ["cfgVersion"] = "2.16.1",
            ["authentication"] = "Demo",
            ["userDB"] = "Same",
            ["passwordDB"] = "Demo",
            ["demoExportedVars"] = new JsonObject { ["cn"] = "cn", ["mail"] = "mail", ["uid"] = "uid" },
            // The academic directory's national pupil identifier, for dwho only.
            ["macros"] = new JsonObject { ["ine"] = $"$uid eq 'dwho' ? '{DwhoIne}' : ''" },
            ["portal"] = portal.ToString(),
            ["domain"] = "127.0.0.1",
            ["cookieName"] = "lemonldap",
            ["securedCookie"] = 0,
            ["globalStorage"] = "Apache::Session::File",
            ["globalStorageOptions"] = new JsonObject
            {
                ["Directory"] = folder + "/sessions", ["LockDirectory"] = folder + "/sessions/lock",
                ["generateModule"] = "Lemonldap::NG::Common::Apache::Session::Generate::SHA256",
            },
            ["persistentStorage"] = "Apache::Session::File",
            ["persistentStorageOptions"] = new JsonObject { ["Directory"] = folder + "/psessions", ["LockDirectory"] = folder + "/psessions/lock" },
            ["localSessionStorage"] = "Cache::FileCache",
            ["localSessionStorageOptions"] = new JsonObject
            {
                ["cache_root"] = folder + "/cache", ["cache_depth"] = 3, ["default_expires_in"] = 600, ["namespace"] = "lemonldap-ng-sessions",
            },
            ["notification"] = 0,
            ["loginHistoryEnabled"] = 0,
            ["portalSkin"] = "bootstrap",
            ["locationRules"] = new JsonObject { ["127.0.0.1"] = new JsonObject { ["default"] = "accept" } },
            ["exportedHeaders"] = new JsonObject(),
            ["exportedVars"] = new JsonObject(),
            ["groups"] = new JsonObject(),
            ["whatToTrace"] = "uid",
            ["timeout"] = 72000,
            ["issuerDBOpenIDConnectActivation"] = 1,
            ["oidcServicePrivateKeySig"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["oidcServicePublicKeySig"] = rsa.ExportSubjectPublicKeyInfoPem(),
            ["oidcServiceKeyIdSig"] = "preau-test",
            ["oidcServiceIgnoreScopeForClaims"] = 1,
            ["oidcRPMetaDataOptions"] = new JsonObject { [ClientId] = Rp(ClientId, ClientSecret), [OtherClientId] = Rp(OtherClientId, "secret-autre") },
            ["oidcRPMetaDataExportedVars"] = new JsonObject { [ClientId] = Claims(), [OtherClientId] = Claims() },
        };
        return conf.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
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
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a session file still locked: the temp folder is cleaned by the system
        }
    }
}
