using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Messaging;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Messaging;

internal enum AttachmentStatus
{
    Saved,
    Invalid,
    NotFound,
}

internal sealed record AttachmentResult(AttachmentStatus Status, AttachmentInfo? Attachment = null, string? Error = null,
    int StatusCode = StatusCodes.Status400BadRequest);

/// <summary>
/// Files attached to message drafts, kept by the shared <see cref="FileStore"/> under the rules of
/// <c>Messaging:Files</c>; this class ties them to drafts and messages of their owner.
/// </summary>
internal sealed class MessageAttachments(PreauDbContext db, FileStore files, IOptions<MessagingOptions> options)
{
    private const string Folder = "message-attachments";

    public async Task<AttachmentResult> AddToDraftAsync(Guid ownerId, Guid draftId, IFormFile? file, CancellationToken ct)
    {
        if (!await db.MessageDrafts.AnyAsync(d => d.Id == draftId && d.OwnerId == ownerId, ct))
        {
            return new AttachmentResult(AttachmentStatus.NotFound);
        }

        if (file is null)
        {
            return new AttachmentResult(AttachmentStatus.Invalid, Error: "Choisissez un fichier à joindre.");
        }

        if (await db.MessageAttachments.CountAsync(a => a.DraftId == draftId, ct) >= options.Value.MaxAttachments)
        {
            return new AttachmentResult(AttachmentStatus.Invalid, Error: $"Au plus {options.Value.MaxAttachments} pièces jointes par message.");
        }

        FileSaveResult saved;
        await using (var content = file.OpenReadStream())
        {
            saved = await files.SaveAsync(Folder, options.Value.Files, content, file.FileName ?? "", ct);
        }

        if (saved.File is not { } stored)
        {
            return new AttachmentResult(AttachmentStatus.Invalid, Error: saved.Message, StatusCode: saved.StatusCode);
        }

        var attachment = new MessageAttachment
        {
            OwnerId = ownerId,
            DraftId = draftId,
            FileName = stored.FileName,
            ContentType = stored.ContentType,
            Size = stored.Length,
            StoredName = stored.StorageName,
        };
        db.MessageAttachments.Add(attachment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // No row, no file: never an orphan on disk for a failed save.
            files.Delete(Folder, stored.StorageName);
            throw;
        }

        db.ChangeTracker.Clear();
        return new AttachmentResult(AttachmentStatus.Saved, new AttachmentInfo(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size));
    }

    /// <summary>Opens an attachment for someone who holds its message in their mailbox, or owns
    /// the draft it is attached to (ownership in the WHERE).</summary>
    public async Task<(MessageAttachment Attachment, Stream Content)?> OpenAsync(Guid userId, Guid attachmentId, CancellationToken ct)
    {
        var attachment = await db.MessageAttachments.AsNoTracking().Where(a => a.Id == attachmentId
                && ((a.MessageId != null && db.MailboxEntries.Any(e => e.MessageId == a.MessageId && e.OwnerId == userId))
                    || (a.DraftId != null && a.OwnerId == userId)))
            .SingleOrDefaultAsync(ct);
        return attachment is not null && files.OpenRead(Folder, attachment.StoredName) is { } content ? (attachment, content) : null;
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
                files.Delete(Folder, name);
            }
        }

        return deleted;
    }
}
