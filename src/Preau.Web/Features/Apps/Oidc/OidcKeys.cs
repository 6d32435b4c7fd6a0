using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Preau.Data;
using Preau.Data.Apps;

namespace Preau.Web.Features.Apps.Oidc;

/// <summary>
/// The keys behind Préau's tokens, the same on every node. A configured certificate wins; otherwise
/// self-signed certificates live in <see cref="PreauDbContext.SsoKeys"/> (protected with the shared key ring):
/// the newest signs, and a key older than <see cref="OidcOptions.KeyLifetimeDays"/> is replaced, the
/// previous one still published (its certificate stays valid twice the lifetime) so tokens it signed verify.
/// OpenIddict orders certificates by validity, so the newest is the one used.
/// </summary>
internal sealed class OidcKeys(IServiceScopeFactory scopes, IOptions<OidcOptions> options, TimeProvider clock, IDataProtectionProvider protection)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public const string Signing = "sig";
    public const string Encryption = "enc";

    private IDataProtector Protector => protection.CreateProtector("Preau.Sso.Keys");

    public void Configure(OpenIddictServerOptions server)
    {
        foreach (var certificate in Certificates(Signing))
        {
            server.SigningCredentials.Add(new SigningCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaSha256));
        }
        foreach (var certificate in Certificates(Encryption))
        {
            server.EncryptionCredentials.Add(new EncryptingCredentials(new X509SecurityKey(certificate),
                SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    private IReadOnlyList<X509Certificate2> Certificates(string use)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.SigningCertificate))
        {
            return [Load(settings.SigningCertificate, settings.SigningCertificatePassword)];
        }
        // Options are built once, on the first token request: blocking here once is the price of
        // OpenIddict reading its keys synchronously.
        return StoredAsync(use, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The stored certificates still valid, newest first, after adding one when the newest is due.</summary>
    public async Task<IReadOnlyList<X509Certificate2>> StoredAsync(string use, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var lifetime = TimeSpan.FromDays(options.Value.KeyLifetimeDays);
        var now = clock.GetUtcNow();
        var rows = await Rows(db, use, now - 2 * lifetime, ct);
        if (rows.Count == 0 || rows[0].CreatedAt <= now - lifetime)
        {
            db.SsoKeys.Add(New(use, now, lifetime));
            await db.SaveChangesAsync(ct);
            // two nodes may both have added one at the same instant: both are kept and both published,
            // and every node signs with the same newest one
            rows = await Rows(db, use, now - 2 * lifetime, ct);
        }
        return [.. rows.Select(r => X509CertificateLoader.LoadPkcs12(
            Protector.Unprotect(Convert.FromBase64String(r.ProtectedCertificate)), null, X509KeyStorageFlags.EphemeralKeySet))];
    }

    private static Task<List<SsoKey>> Rows(PreauDbContext db, string use, DateTimeOffset since, CancellationToken ct) =>
        db.SsoKeys.AsNoTracking().Where(k => k.Use == use && k.CreatedAt > since)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(ct);

    private SsoKey New(string use, DateTimeOffset now, TimeSpan lifetime)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Préau " + (use == Signing ? "signature" : "chiffrement"), rsa,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            use == Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment, critical: true));
        // a little in the past, so a node whose clock lags still finds it valid; nanoseconds dropped so
        // certificates made in one second still order by their end date
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + 2 * lifetime);
        return new SsoKey
        {
            Use = use,
            CreatedAt = now,
            ProtectedCertificate = Convert.ToBase64String(Protector.Protect(certificate.Export(X509ContentType.Pkcs12))),
        };
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey ? certificate : throw new InvalidOperationException(
                $"Sso:SigningCertificate : le fichier « {path} » ne contient pas de clé privée.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"Sso:SigningCertificate : impossible de lire le certificat « {path} » ({e.Message}). " +
                "Donnez un fichier PKCS#12 (.pfx) lisible et son mot de passe dans Sso:SigningCertificatePassword.", e);
        }
    }
}

/// <summary>Once a day, forgets the keys OpenIddict read, so a node that runs for months still rotates.</summary>
internal sealed class OidcKeyRotation(IOptionsMonitorCache<OpenIddictServerOptions> cache, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(24), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            cache.TryRemove(Microsoft.Extensions.Options.Options.DefaultName);
        }
    }
}
