using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Preau.Web.Infrastructure;

namespace Preau.Web.Shared.Files;

internal enum FileRejection
{
    None,
    Empty,
    TooLarge,
    UnknownType,
    TypeMismatch,

    /// <summary>The owner's quota (<see cref="FileRules.QuotaBytes"/>) would be exceeded.</summary>
    OverQuota,
}

/// <summary>A file written to disk under a random name and checked, not yet referenced by any row.</summary>
internal sealed record StoredFile(string StorageName, string FileName, string ContentType, long Length);

internal sealed record FileSaveResult(StoredFile? File, FileRejection Rejection, string? Message)
{
    /// <summary>The HTTP status a refusal deserves: 413 for a file over the limit or the quota, 400 otherwise.</summary>
    public int StatusCode => Rejection is FileRejection.TooLarge or FileRejection.OverQuota
        ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
}

/// <summary>
/// Uploaded files of every feature, under <c>{Storage:DataDirectory}/{folder}/{random id}</c>. The name on
/// disk never comes from the user (no traversal possible); the size is counted while reading, never taken
/// from what the client announces; the served type comes from the file's first bytes and must agree with
/// the extension, which must be one the feature's <see cref="FileRules"/> allow.
/// Write order: temporary file → checks → atomic move to the final name → the caller's database row; if the
/// row fails the caller deletes the file (<see cref="Delete"/>), so no row ever points at a missing file.
/// </summary>
internal sealed class FileStore(IOptions<StorageOptions> storage)
{
    private const int BufferSize = 81920;

    public Task<FileSaveResult> SaveAsync(string folder, FileRules rules, Stream content, string originalName, CancellationToken ct) =>
        SaveAsync(folder, rules, content, originalName, 0, ct);

    /// <summary>Saves a file for an owner who already keeps <paramref name="ownerUsedBytes"/> under these rules:
    /// refused while reading as soon as the owner's total would pass <see cref="FileRules.QuotaBytes"/>.</summary>
    public async Task<FileSaveResult> SaveAsync(string folder, FileRules rules, Stream content, string originalName, long ownerUsedBytes, CancellationToken ct)
    {
        var directory = Path.Combine(storage.Value.FullDataDirectory, folder);
        Directory.CreateDirectory(directory);
        var storageName = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var temp = Path.Combine(directory, storageName + ".tmp");
        var keep = false;
        try
        {
            var head = new byte[FileTypes.HeadLength];
            var headLength = 0;
            long length = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    var n = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, n).CopyTo(head.AsSpan(headLength));
                    headLength += n;
                    length += read;
                    if (length > rules.MaxBytes)
                    {
                        return Refuse(FileRejection.TooLarge, rules);
                    }

                    if (rules.QuotaBytes > 0 && ownerUsedBytes + length > rules.QuotaBytes)
                    {
                        return new(null, FileRejection.OverQuota, QuotaMessage(rules, ownerUsedBytes));
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }

            if (length == 0)
            {
                return Refuse(FileRejection.Empty, rules);
            }

            var name = SafeFileName(originalName);
            var extension = Path.GetExtension(name);
            var (rejection, contentType) = FileTypes.Classify(head.AsSpan(0, headLength), extension);
            if (rejection == FileRejection.None && !rules.Allows(extension))
            {
                rejection = FileRejection.UnknownType;
            }

            if (rejection != FileRejection.None)
            {
                return Refuse(rejection, rules);
            }

            File.Move(temp, Path.Combine(directory, storageName));
            keep = true;
            return new FileSaveResult(new StoredFile(storageName, name, contentType!, length), FileRejection.None, null);
        }
        finally
        {
            if (!keep)
            {
                File.Delete(temp);
            }
        }
    }

    public Stream? OpenRead(string folder, string storageName)
    {
        if (!IsStorageName(storageName))
        {
            return null;
        }

        var path = Path.Combine(storage.Value.FullDataDirectory, folder, storageName);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true) : null;
    }

    public void Delete(string folder, string storageName)
    {
        if (IsStorageName(storageName))
        {
            File.Delete(Path.Combine(storage.Value.FullDataDirectory, folder, storageName));
        }
    }

    /// <summary>
    /// A stored file sent as a download: <c>Content-Disposition: attachment</c> with the RFC 6266 <c>filename*</c>,
    /// never sniffed nor kept in a cache, so a file can neither render as a page of ours nor outlive its access.
    /// </summary>
    public static FileStreamHttpResult Download(HttpContext http, Stream content, string contentType, string fileName)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(content, contentType, fileName);
    }

    public static string Message(FileRejection rejection, FileRules rules) => rejection switch
    {
        FileRejection.Empty => "Le fichier est vide.",
        FileRejection.TooLarge => $"Le fichier dépasse la taille maximale ({rules.MaxBytes / (1024 * 1024.0):0.#} Mo).",
        FileRejection.UnknownType => $"Ce type de fichier n'est pas accepté. Types acceptés : {string.Join(", ", rules.ExtensionList.Select(e => e.TrimStart('.').ToUpperInvariant()))}.",
        FileRejection.TypeMismatch => "Le contenu du fichier ne correspond pas à son extension.",
        _ => "",
    };

    public static string QuotaMessage(FileRules rules, long ownerUsedBytes) =>
        $"Votre espace de dépôt est plein : {FrenchText.FileSize(rules.QuotaBytes)} au plus, dont {FrenchText.FileSize(ownerUsedBytes)} déjà utilisés. Retirez un fichier ou déposez-en un plus petit.";

    /// <summary>The name as shown and offered on download: no folders, no control characters, bounded.</summary>
    internal static string SafeFileName(string name)
    {
        var last = name.Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var cleaned = new string([.. last.Where(c => !char.IsControl(c) && c is not '"' and not '<' and not '>' and not ':' and not '|' and not '?' and not '*')])
            .Trim().TrimStart('.');
        if (cleaned.Length == 0)
        {
            cleaned = "fichier";
        }

        if (cleaned.Length > 200)
        {
            var ext = Path.GetExtension(cleaned);
            cleaned = cleaned[..(200 - Math.Min(ext.Length, 20))] + ext[..Math.Min(ext.Length, 20)];
        }

        return cleaned;
    }

    private static FileSaveResult Refuse(FileRejection rejection, FileRules rules) => new(null, rejection, Message(rejection, rules));

    // Storage names are ours (32 lowercase hex characters); anything else is refused before touching the disk.
    private static bool IsStorageName(string name) => name.Length == 32 && name.All(char.IsAsciiHexDigitLower);
}
