using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Messaging;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Messaging;

internal enum AttachmentStatus
{
    Saved,
    Invalid,
    NotFound,
}

internal sealed record AttachmentResult(AttachmentStatus Status, AttachmentInfo? Attachment = null, string? Error = null);

/// <summary>
/// Files attached to message drafts, under &lt;DataDirectory&gt;/message-attachments with random
/// names (a file name never reaches the disk), a size limit, and a type decided from the first
/// bytes, never from what the client claims. Same rules as homework attachments; the two stores
/// should become one shared service after merge.
/// </summary>
internal sealed class AttachmentStore(PreauDbContext db, IOptions<StorageOptions> storage, IOptions<MessagingOptions> options)
{
    private string Root => Path.Combine(storage.Value.FullDataDirectory, "message-attachments");

    public async Task<AttachmentResult> AddToDraftAsync(Guid ownerId, Guid draftId, IFormFile? file, CancellationToken ct)
    {
        if (!await db.MessageDrafts.AnyAsync(d => d.Id == draftId && d.OwnerId == ownerId, ct))
        {
            return new AttachmentResult(AttachmentStatus.NotFound);
        }

        if (file is null || file.Length == 0)
        {
            return new AttachmentResult(AttachmentStatus.Invalid, Error: "Choisissez un fichier à joindre.");
        }

        var max = options.Value.MaxAttachmentBytes;
        if (file.Length > max)
        {
            return new AttachmentResult(AttachmentStatus.Invalid, Error: $"Le fichier dépasse {max / (1024 * 1024)} Mo.");
        }

        if (await db.MessageAttachments.CountAsync(a => a.DraftId == draftId, ct) >= options.Value.MaxAttachments)
        {
            return new AttachmentResult(AttachmentStatus.Invalid, Error: $"Au plus {options.Value.MaxAttachments} pièces jointes par message.");
        }

        var header = new byte[8];
        await using (var peek = file.OpenReadStream())
        {
            await peek.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
        }

        var name = Path.GetFileName(file.FileName ?? "").Trim();
        if (Sniff(header, name) is not { } contentType)
        {
            return new AttachmentResult(AttachmentStatus.Invalid,
                Error: "Type de fichier non accepté : PDF, image (PNG, JPEG, GIF) ou document bureautique (docx, xlsx, pptx, odt, ods, odp).");
        }

        Directory.CreateDirectory(Root);
        var stored = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(Root, stored);
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await file.CopyToAsync(target, ct);
        }

        var attachment = new MessageAttachment
        {
            OwnerId = ownerId,
            DraftId = draftId,
            FileName = string.IsNullOrEmpty(name) ? "piece-jointe" : name.Length > 200 ? name[^200..] : name,
            ContentType = contentType,
            Size = file.Length,
            StoredName = stored,
        };
        db.MessageAttachments.Add(attachment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // No row, no file: never an orphan on disk for a failed save.
            File.Delete(path);
            throw;
        }

        db.ChangeTracker.Clear();
        return new AttachmentResult(AttachmentStatus.Saved, new AttachmentInfo(attachment.Id, attachment.FileName, contentType, attachment.Size));
    }

    /// <summary>Opens an attachment for someone who holds its message in their mailbox, or owns
    /// the draft it is attached to (ownership in the WHERE).</summary>
    public async Task<(MessageAttachment Attachment, Stream Content)?> OpenAsync(Guid userId, Guid attachmentId, CancellationToken ct)
    {
        var attachment = await db.MessageAttachments.AsNoTracking().Where(a => a.Id == attachmentId
                && ((a.MessageId != null && db.MailboxEntries.Any(e => e.MessageId == a.MessageId && e.OwnerId == userId))
                    || (a.DraftId != null && a.OwnerId == userId)))
            .SingleOrDefaultAsync(ct);
        var path = attachment is null ? null : Path.Combine(Root, attachment.StoredName);
        if (attachment is null || !File.Exists(path))
        {
            return null;
        }

        return (attachment, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    /// <summary>Deletes a draft of the owner (WHERE) and then the files of its attachments, so
    /// an abandoned draft leaves nothing on disk.</summary>
    public async Task<bool> DeleteDraftAsync(Guid ownerId, Guid draftId, CancellationToken ct)
    {
        var stored = await db.MessageAttachments.AsNoTracking().Where(a => a.DraftId == draftId && a.OwnerId == ownerId)
            .Select(a => a.StoredName).ToListAsync(ct);
        var deleted = await db.MessageDrafts.Where(d => d.Id == draftId && d.OwnerId == ownerId).ExecuteDeleteAsync(ct) > 0;
        if (deleted)
        {
            foreach (var name in stored)
            {
                File.Delete(Path.Combine(Root, name));
            }
        }

        return deleted;
    }

    internal static string? Sniff(ReadOnlySpan<byte> header, string fileName)
    {
        if (header.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        // Office and OpenDocument files are ZIP containers: the extension says which one.
        if (header.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
        {
            return Path.GetExtension(fileName).ToLowerInvariant() switch
            {
                ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                ".odt" => "application/vnd.oasis.opendocument.text",
                ".ods" => "application/vnd.oasis.opendocument.spreadsheet",
                ".odp" => "application/vnd.oasis.opendocument.presentation",
                _ => null,
            };
        }

        return null;
    }
}
