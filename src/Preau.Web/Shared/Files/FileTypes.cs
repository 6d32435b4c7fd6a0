using System.Text.Unicode;

namespace Preau.Web.Shared.Files;

/// <summary>The types Préau can recognise from a file's first bytes, and the extensions each may carry.</summary>
internal static class FileTypes
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

    private static readonly string[] s_textExtensions = [".txt", ".md", ".csv"];

    private static readonly string[] s_otherExtensions = [".pdf", ".png", ".jpg", ".jpeg", ".gif"];

    /// <summary>How many leading bytes <see cref="Classify"/> needs to decide.</summary>
    public const int HeadLength = 8192;

    public static bool IsKnownExtension(string extension) =>
        s_zipTypes.ContainsKey(extension) || s_textExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase)
        || s_otherExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase);

    /// <summary>The content type the bytes show, provided the extension agrees with them.</summary>
    public static (FileRejection Error, string? ContentType) Classify(ReadOnlySpan<byte> head, string extension)
    {
        var ext = extension.ToLowerInvariant();
        (string Type, string[] Extensions)? found =
            head.StartsWith("%PDF-"u8) ? ("application/pdf", [".pdf"])
            : head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? ("image/png", [".png"])
            : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? ("image/jpeg", [".jpg", ".jpeg"])
            : head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) ? ("image/gif", [".gif"])
            // Office and OpenDocument files are ZIP containers: the extension says which one.
            : head.StartsWith("PK\x03\x04"u8) ? (s_zipTypes.GetValueOrDefault(ext, "application/zip"), [.. s_zipTypes.Keys])
            : IsPlainText(head) ? ("text/plain; charset=utf-8", s_textExtensions)
            : null;
        if (found is null)
        {
            return (FileRejection.UnknownType, null);
        }

        return found.Value.Extensions.Contains(ext) ? (FileRejection.None, found.Value.Type) : (FileRejection.TypeMismatch, null);
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
}
