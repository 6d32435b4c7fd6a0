using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Infrastructure;
using Preau.Web.Shared.Files;

namespace Preau.IntegrationTests.Features.Nodes;

/// <summary>What the nodes of a region share besides the database rows (#14): the data-protection key
/// ring (in the database, encrypted with the configured certificate) and the data directory.</summary>
public sealed class SharedStorageTests
{
    [Fact]
    public async Task KeyRing_WithCertificate_EncryptedInDatabaseAndReadByTheOtherNode()
    {
        var folder = Directory.CreateTempSubdirectory("preau-cert-").FullName;
        try
        {
            var pfx = Path.Combine(folder, "keys.pfx");
            using (var rsa = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=preau-keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "secret"));
            }

            await using var nodes = TwoNodes.Start(new Dictionary<string, string?>
            {
                ["DataProtection:Certificate"] = pfx,
                ["DataProtection:CertificatePassword"] = "secret",
            });
            await TestSchools.SeedAsync(nodes.A.Services);
            using var pupil = nodes.NewVisitor();

            await TestSchools.LoginAsync(pupil.OnA, "pupil.a1");

            Assert.Equal(HttpStatusCode.OK, (await pupil.OnB.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
            var keys = await nodes.A.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_NodeWithItsOwnDataDirectory_RefusedWithAFrenchMessage()
    {
        await using var nodes = TwoNodes.Start();
        var ownDisk = Directory.CreateTempSubdirectory("preau-own-disk-").FullName;
        try
        {
            await using var stray = new PreauAppFactory(nodes.Database,
                new Dictionary<string, string?>(nodes.Settings) { ["Storage:DataDirectory"] = ownDisk });

            // The program's start checks already ran (and refused: one French line, exit code 2, see
            // StartChecks.SharedStorageIsReadyAsync); the same check, asked again, says why.
            var check = stray.Services.GetRequiredService<SharedDirectoryCheck>();
            var patience = DateTime.UtcNow.AddSeconds(60); // a deadline on the program's own thread, not a speed check
            while (Environment.ExitCode != StartChecks.BadConfiguration && DateTime.UtcNow < patience)
            {
                await Task.Delay(50);
            }
            var exitCode = Environment.ExitCode;
            Environment.ExitCode = 0; // this test process must not exit with the refused node's code
            Assert.Equal(StartChecks.BadConfiguration, exitCode);

            var refused = await Assert.ThrowsAsync<StartRefusedException>(() => check.CheckAsync(CancellationToken.None));

            Assert.StartsWith($"le dossier de données « {ownDisk} » n'est pas celui des autres nœuds", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(ownDisk, recursive: true);
        }
    }

    [Fact]
    public async Task Mark_ManyNodesStartingAtOnceOnAFreshDirectory_AllReadTheSameWholeMark()
    {
        var shared = Directory.CreateTempSubdirectory("preau-shared-").FullName;
        try
        {
            using var start = new ManualResetEventSlim();
            var nodes = Enumerable.Range(0, 24).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await SharedDirectoryCheck.ReadOrWriteMarkAsync(shared, CancellationToken.None);
            })).ToList();
            start.Set();

            var marks = await Task.WhenAll(nodes);

            Assert.Single(marks.Distinct());
            Assert.Matches("^[0-9a-f]{32}$", marks[0]);
            Assert.Equal(["region-storage.id"], Directory.GetFiles(shared).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }
}
