using System.Security.Cryptography;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Homework;

internal enum AttachmentError
{
    None,
    Empty,
    TooLarge,
    UnknownType,
    TypeMismatch,
}

/// <summary>A file written to disk under a random name and checked, not yet referenced by any row.</summary>
internal sealed record StoredFile(string StorageName, string FileName, string ContentType, long Length);

/// <summary>
/// Attachment files under <c>{Storage:DataDirectory}/attachments/{random id}</c>. The name on disk is
/// never derived from the user (no traversal possible); the served content type comes from the
/// file's first bytes matched against an allowed list, and must agree with the extension.
/// Write order: temporary file → checks → final name → database row; if the row fails the caller
/// deletes the file (<see cref="Delete"/>), so a failure leaves neither a row without a file nor
/// (except a crash between the two steps) a file without a row.
/// </summary>
internal sealed class AttachmentStore(IOptions<StorageOptions> storage, IOptions<HomeworkOptions> options)
{
    private static readonly Dictionary<string, string> s_zipTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".zip"] = "application/zip",
        [".odt"] = "application/vnd.oasis.opendocument.text",
        [".ods"] = "application/vnd.oasis.opendocument.spreadsheet",
        [".odp"] = "application/vnd.oasis.opendocument.presentation",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    private string Directory => Path.Combine(storage.Value.FullDataDirectory, "attachments");

    public long MaxBytes => options.Value.MaxAttachmentBytes;

    public static string Message(AttachmentError error, long maxBytes) => error switch
    {
        AttachmentError.Empty => "Le fichier est vide.",
        AttachmentError.TooLarge => $"Le fichier dépasse la taille maximale ({maxBytes / (1024 * 1024.0):0.#} Mo).",
        AttachmentError.UnknownType => "Ce type de fichier n'est pas accepté (PDF, image PNG/JPEG/GIF, document ODT/DOCX, ZIP ou texte).",
        AttachmentError.TypeMismatch => "Le contenu du fichier ne correspond pas à son extension.",
        _ => "",
    };

    public async Task<(AttachmentError Error, StoredFile? File)> SaveAsync(Stream content, string originalName, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var storageName = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var temp = Path.Combine(Directory, storageName + ".tmp");
        var keep = false;
        try
        {
            long length;
            var head = new byte[8192];
            var headLength = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                length = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    if (headLength < head.Length)
                    {
                        var n = Math.Min(read, head.Length - headLength);
                        Array.Copy(buffer, 0, head, headLength, n);
                        headLength += n;
                    }

                    length += read;
                    if (length > MaxBytes)
                    {
                        return (AttachmentError.TooLarge, null);
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }

            if (length == 0)
            {
                return (AttachmentError.Empty, null);
            }

            var name = SafeFileName(originalName);
            var (error, contentType) = Classify(head.AsSpan(0, headLength), Path.GetExtension(name));
            if (error != AttachmentError.None)
            {
                return (error, null);
            }

            File.Move(temp, Path.Combine(Directory, storageName));
            keep = true;
            return (AttachmentError.None, new StoredFile(storageName, name, contentType!, length));
        }
        finally
        {
            if (!keep)
            {
                File.Delete(temp);
            }
        }
    }

    public Stream? OpenRead(string storageName)
    {
        // Storage names are ours (32 hex characters); anything else is refused before touching the disk.
        if (storageName.Length != 32 || !storageName.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var path = Path.Combine(Directory, storageName);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    public void Delete(string storageName)
    {
        if (storageName.Length == 32 && storageName.All(char.IsAsciiHexDigitLower))
        {
            File.Delete(Path.Combine(Directory, storageName));
        }
    }

    /// <summary>The content type an allowed file's bytes show, provided its extension agrees.</summary>
    internal static (AttachmentError Error, string? ContentType) Classify(ReadOnlySpan<byte> head, string extension)
    {
        var ext = extension.ToLowerInvariant();
        (string Type, string[] Extensions)? found =
            head.StartsWith("%PDF-"u8) ? ("application/pdf", [".pdf"])
            : head.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? ("image/png", [".png"])
            : head.StartsWith((byte[])[0xFF, 0xD8, 0xFF]) ? ("image/jpeg", [".jpg", ".jpeg"])
            : head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) ? ("image/gif", [".gif"])
            : head.StartsWith("PK\x03\x04"u8) ? (s_zipTypes.GetValueOrDefault(ext, "application/zip"), [.. s_zipTypes.Keys])
            : IsPlainText(head) ? ("text/plain; charset=utf-8", [".txt", ".md", ".csv"])
            : null;
        if (found is null)
        {
            return (AttachmentError.UnknownType, null);
        }

        return found.Value.Extensions.Contains(ext) ? (AttachmentError.None, found.Value.Type) : (AttachmentError.TypeMismatch, null);
    }

    private static bool IsPlainText(ReadOnlySpan<byte> head)
    {
        if (head.Contains((byte)0))
        {
            return false;
        }

        // The head may cut a multi-byte character: allow up to 3 trailing bytes to be incomplete.
        for (var trim = 0; trim <= Math.Min(3, head.Length); trim++)
        {
            if (Utf8.IsValid(head[..^trim]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name as shown and offered on download: no folders, no control characters, bounded.</summary>
    internal static string SafeFileName(string name)
    {
        var last = name.Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var cleaned = new string(last.Where(c => !char.IsControl(c) && c is not '"' and not '<' and not '>' and not ':' and not '|' and not '?' and not '*').ToArray()).Trim().TrimStart('.');
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
}
