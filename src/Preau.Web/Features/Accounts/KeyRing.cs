using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Accounts;

/// <summary>Section <c>DataProtection</c>: how the keys behind cookies and stored secrets are kept.</summary>
internal sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 file (.pfx) whose certificate encrypts every key at rest. Unset: keys are stored
    /// in clear (fine for one node in its own data directory, not for a region's database).</summary>
    public string? Certificate { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>
/// The data-protection key ring. One SQLite node keeps it in its data directory (zero set-up, as
/// before). On PostgreSQL it lives in the database, so every node of a region decrypts the cookies
/// and calendar secrets any other node made. With <see cref="KeyRingOptions.Certificate"/> each
/// key is encrypted with that certificate before it is written, wherever that is.
/// </summary>
internal static class KeyRing
{
    public static void AddPreauKeyRing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.Section);
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("Preau");
        var settings = builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var provider = builder.Configuration.GetValue(DatabaseOptions.Section + ":Provider", DatabaseProvider.Sqlite);
        if (provider == DatabaseProvider.Postgres)
        {
            dataProtection.PersistKeysToDbContext<PreauDbContext>();
        }
        else
        {
            builder.Services.AddOptions<KeyManagementOptions>()
                .Configure<IOptions<StorageOptions>, ILoggerFactory>((keys, storage, logs) =>
                    keys.XmlRepository = new FileSystemXmlRepository(
                        new DirectoryInfo(Path.Combine(storage.Value.FullDataDirectory, "keys")), logs));
        }

        if (!string.IsNullOrWhiteSpace(settings.Certificate))
        {
            var certificate = Load(settings.Certificate, settings.CertificatePassword);
            // Unprotect with the same certificate given here: the system certificate store of a
            // Linux host is not where Préau's certificate lives.
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException(
                $"DataProtection:Certificate : impossible de lire le certificat « {path} » ({e.Message}). " +
                "Donnez un fichier PKCS#12 (.pfx) lisible et son mot de passe dans DataProtection:CertificatePassword.", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException(
                $"DataProtection:Certificate : le fichier « {path} » ne contient pas de clé privée ; les clés ne pourraient pas être relues.");
        }

        return certificate;
    }
}
