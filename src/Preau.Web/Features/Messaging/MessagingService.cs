using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Messaging;
using Preau.Data.Directory;
using Preau.Web.Features.Timeline;
using Preau.Web.Shared.Text;

namespace Preau.Web.Features.Messaging;

internal enum Folder
{
    Inbox,
    Sent,
    Trash,
}

internal enum SendStatus
{
    Sent,
    Invalid,
    Refused,
    NotFound,
}

internal sealed record SendResult(SendStatus Status, Guid MessageId = default, int RecipientCount = 0,
    Dictionary<string, string[]>? Errors = null, string? Detail = null)
{
    public static SendResult Invalid(string field, string message) => new(SendStatus.Invalid, Errors: new() { [field] = [message] });
}

internal sealed record MessageSummary(Guid Id, Guid ThreadId, string Subject, string SenderName, string RecipientsLabel,
    DateTimeOffset SentAt, bool IsRead, bool Trashed);

internal sealed record MessageView(Guid Id, Guid ThreadId, Guid SenderId, string SenderName, string Subject, string BodyHtml,
    string RecipientsLabel, int RecipientCount, DateTimeOffset SentAt, bool IsSender, bool Trashed,
    IReadOnlyList<AttachmentInfo> Attachments, IReadOnlyList<MessageSummary> Thread);

internal sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, long Size);

internal sealed record DraftView(Guid Id, string Subject, string Body, IReadOnlyList<string> To, Guid? ReplyToId,
    DateTimeOffset UpdatedAt, IReadOnlyList<AttachmentInfo> Attachments);

internal sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, bool HasMore);

/// <summary>
/// Sending, reading and filing messages. A send stores the body once and one small mailbox row
/// per recipient (expanded at send time): a 10,000-message inbox is then one index range scan,
/// and read/trash state is a column of the reader's own row. Resolving audiences on read would
/// make every inbox view a union over the reader's classes, children and profiles and still need
/// per-reader rows for read and trash state.
/// </summary>
internal sealed class MessagingService(PreauDbContext db, CommunicationDirectory directory, TimelineFeed timeline,
    TimeProvider clock, IOptions<MessagingOptions> options)
{
    private readonly MessagingOptions _options = options.Value;

    public int PageSize => _options.PageSize;

    public async Task<SendResult> SendAsync(Guid senderId, IReadOnlyList<string>? to, string? subject, string? body,
        Guid? draftId, Guid? forwardOf, CancellationToken ct)
    {
        var errors = ValidateText(subject, body);
        var tokens = ParseTokens(to, errors);
        if (errors.Count > 0)
        {
            return new SendResult(SendStatus.Invalid, Errors: errors);
        }

        var source = body!.Trim();
        if (forwardOf is { } fwd)
        {
            var original = await (from e in db.MailboxEntries.AsNoTracking()
                                  where e.OwnerId == senderId && e.MessageId == fwd
                                  join m in db.Messages on e.MessageId equals m.Id
                                  join p in db.People on m.SenderId equals p.Id
                                  select new { m.BodySource, m.SentAt, Sender = p.FirstName + " " + p.LastName }).SingleOrDefaultAsync(ct);
            if (original is null)
            {
                return new SendResult(SendStatus.NotFound);
            }

            source += $"\n\n---\n**Message transféré** de {original.Sender}, le {original.SentAt:dd/MM/yyyy HH:mm} :\n\n"
                + string.Join('\n', original.BodySource.Split('\n').Select(l => "> " + l));
        }

        return await SendCoreAsync(senderId, tokens, subject!.Trim(), source, threadId: null, implicitlyAllowed: null, draftId, ct);
    }

    /// <summary>Replying to whoever wrote to you is always allowed (it is not unsolicited);
    /// reply-all adds the other audiences only where the rules allow the replier to write.</summary>
    public async Task<SendResult> ReplyAsync(Guid userId, Guid messageId, string? body, bool all, Guid? draftId, CancellationToken ct)
    {
        var original = await (from e in db.MailboxEntries.AsNoTracking()
                              where e.OwnerId == userId && e.MessageId == messageId
                              join m in db.Messages on e.MessageId equals m.Id
                              select new { m.SenderId, m.Subject, m.ThreadId, m.AudienceTokens }).SingleOrDefaultAsync(ct);
        if (original is null)
        {
            return new SendResult(SendStatus.NotFound);
        }

        var subject = original.Subject.StartsWith("RE :", StringComparison.OrdinalIgnoreCase) ? original.Subject : "RE : " + original.Subject;
        var errors = ValidateText(subject.Length > 200 ? subject[..200] : subject, body);
        if (errors.Count > 0)
        {
            return new SendResult(SendStatus.Invalid, Errors: errors);
        }

        var tokens = new List<AudienceToken>();
        HashSet<Guid>? implicitlyAllowed = null;
        if (original.SenderId == userId)
        {
            // Replying to one's own message continues it with the same audiences.
            tokens.AddRange(AudienceToken.ParseList(original.AudienceTokens));
        }
        else
        {
            tokens.Add(AudienceToken.Person(original.SenderId));
            implicitlyAllowed = [original.SenderId];
            if (all)
            {
                var sender = await directory.LoadAsync(userId, ct);
                var others = AudienceToken.ParseList(original.AudienceTokens).Where(t => t != AudienceToken.Person(userId)).ToList();
                if (sender is not null && others.Count > 0)
                {
                    var (allowed, _) = await directory.ResolveAsync(sender, others, ct);
                    tokens.AddRange(allowed.Select(a => a.Token));
                }
            }
        }

        return await SendCoreAsync(userId, tokens.Distinct().ToList(), subject.Length > 200 ? subject[..200] : subject, body!.Trim(),
            original.ThreadId, implicitlyAllowed, draftId, ct);
    }

    private async Task<SendResult> SendCoreAsync(Guid senderId, List<AudienceToken> tokens, string subject, string source,
        Guid? threadId, HashSet<Guid>? implicitlyAllowed, Guid? draftId, CancellationToken ct)
    {
        var sender = await directory.LoadAsync(senderId, ct);
        if (sender is null)
        {
            return new SendResult(SendStatus.NotFound);
        }

        var implicitTokens = tokens.Where(t => t.Kind == AudienceKind.Person && implicitlyAllowed?.Contains(t.TargetId) == true).ToList();
        var (allowed, refused) = await directory.ResolveAsync(sender, tokens.Except(implicitTokens).ToList(), ct);
        if (refused.Count > 0)
        {
            return new SendResult(SendStatus.Refused,
                Detail: "Vous ne pouvez pas écrire à certains destinataires choisis (règles de communication de l'établissement).");
        }

        foreach (var token in implicitTokens)
        {
            var name = await db.People.AsNoTracking().Where(p => p.Id == token.TargetId).Select(p => p.FirstName + " " + p.LastName).SingleOrDefaultAsync(ct);
            if (name is null)
            {
                return new SendResult(SendStatus.NotFound);
            }

            allowed.Add(new ResolvedAudience(token, name, [token.TargetId]));
        }

        var recipients = allowed.SelectMany(a => a.PersonIds).Where(id => id != senderId).ToHashSet();
        if (recipients.Count == 0)
        {
            return SendResult.Invalid("to", "Aucun destinataire : la liste choisie ne contient personne.");
        }

        if (recipients.Count > _options.MaxRecipients)
        {
            return SendResult.Invalid("to", $"Trop de destinataires ({recipients.Count}, au plus {_options.MaxRecipients}).");
        }

        var now = clock.GetUtcNow();
        var message = new Message
        {
            Subject = subject,
            SenderId = senderId,
            BodySource = source.Length > 20_000 ? source[..20_000] : source,
            BodyHtml = SafeHtml.FromMarkdown(source),
            RecipientsLabel = Truncate(string.Join(", ", allowed.Select(a => a.Label)), 500),
            AudienceTokens = Truncate(AudienceToken.Join(allowed.Select(a => a.Token)), 4_000),
            RecipientCount = recipients.Count,
            SentAt = now,
        };
        message.ThreadId = threadId ?? message.Id;

        // One transaction: the message, every mailbox row, the feed lines and the draft's removal
        // land together or not at all (no half-sent message to half a school).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Messages.Add(message);
        db.MailboxEntries.Add(new MailboxEntry { OwnerId = senderId, MessageId = message.Id, Box = MailboxBox.Sent, Folder = MailboxFolder.Sent, SentAt = now, ReadAt = now });
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.MailboxEntries.AddRange(recipients.Select(id => new MailboxEntry { OwnerId = id, MessageId = message.Id, Box = MailboxBox.Inbox, Folder = MailboxFolder.Inbox, SentAt = now }));
        var senderName = await db.People.AsNoTracking().Where(p => p.Id == senderId).Select(p => p.FirstName + " " + p.LastName).SingleAsync(ct);
        timeline.Add(allowed.Select(a => a.Token), TimelineKinds.Message, $"Message de {senderName} : {subject}", $"/messagerie/{message.Id}");
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        if (draftId is { } d)
        {
            await db.MessageAttachments.Where(a => a.DraftId == d && a.OwnerId == senderId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.MessageId, message.Id).SetProperty(a => a.DraftId, (Guid?)null), ct);
            await db.MessageDrafts.Where(x => x.Id == d && x.OwnerId == senderId).ExecuteDeleteAsync(ct);
        }

        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SendResult(SendStatus.Sent, message.Id, recipients.Count);
    }

    public async Task<Paged<MessageSummary>> ListAsync(Guid userId, Folder folder, string? search, int page, CancellationToken ct)
    {
        page = Math.Max(1, page);
        var entries = db.MailboxEntries.AsNoTracking().Where(e => e.OwnerId == userId);
        var wanted = folder switch
        {
            Folder.Inbox => MailboxFolder.Inbox,
            Folder.Sent => MailboxFolder.Sent,
            _ => MailboxFolder.Trash,
        };
        entries = entries.Where(e => e.Folder == wanted);
        var query = from e in entries
                    join m in db.Messages on e.MessageId equals m.Id
                    join p in db.People on m.SenderId equals p.Id
                    select new { e, m, p };
        var term = (search ?? "").Trim().ToLower();
        if (term.Length > 0)
        {
            // ToLower().Contains is what EF translates to lower(..) LIKE on both SQLite and PostgreSQL;
            // the StringComparison overload has no SQL translation.
#pragma warning disable CA1862
            query = query.Where(x => x.m.Subject.ToLower().Contains(term) || x.p.LastName.ToLower().Contains(term) || x.p.FirstName.ToLower().Contains(term));
#pragma warning restore CA1862
        }

        var rows = await query.OrderByDescending(x => x.e.SentAt).ThenByDescending(x => x.e.MessageId)
            .Skip((page - 1) * _options.PageSize).Take(_options.PageSize + 1)
            .Select(x => new MessageSummary(x.m.Id, x.m.ThreadId, x.m.Subject, x.p.FirstName + " " + x.p.LastName, x.m.RecipientsLabel,
                x.e.SentAt, x.e.ReadAt != null, x.e.Folder == MailboxFolder.Trash))
            .ToListAsync(ct);
        return new Paged<MessageSummary>(rows.Take(_options.PageSize).ToList(), page, _options.PageSize, rows.Count > _options.PageSize);
    }

    public Task<int> UnreadCountAsync(Guid userId, CancellationToken ct) =>
        db.MailboxEntries.AsNoTracking()
            .CountAsync(e => e.OwnerId == userId && e.Folder == MailboxFolder.Inbox && e.ReadAt == null, ct);

    /// <summary>Opens a message the user holds in their mailbox (the ownership check is the
    /// WHERE) and marks it read.</summary>
    public async Task<MessageView?> GetAsync(Guid userId, Guid messageId, CancellationToken ct)
    {
        var row = await (from e in db.MailboxEntries.AsNoTracking()
                         where e.OwnerId == userId && e.MessageId == messageId
                         join m in db.Messages on e.MessageId equals m.Id
                         join p in db.People on m.SenderId equals p.Id
                         select new { m, Sender = p.FirstName + " " + p.LastName, Trashed = e.Folder == MailboxFolder.Trash, e.ReadAt }).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        if (row.ReadAt is null)
        {
            var now = clock.GetUtcNow();
            await db.MailboxEntries.Where(e => e.OwnerId == userId && e.MessageId == messageId && e.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ReadAt, now), ct);
        }

        var threadId = row.m.ThreadId;
        var thread = await (from e in db.MailboxEntries.AsNoTracking()
                            where e.OwnerId == userId
                            join m in db.Messages on e.MessageId equals m.Id
                            where m.ThreadId == threadId && m.Id != messageId
                            join p in db.People on m.SenderId equals p.Id
                            orderby e.SentAt descending
                            select new MessageSummary(m.Id, m.ThreadId, m.Subject, p.FirstName + " " + p.LastName, m.RecipientsLabel,
                                e.SentAt, e.ReadAt != null, e.Folder == MailboxFolder.Trash)).Take(50).ToListAsync(ct);
        var attachments = await db.MessageAttachments.AsNoTracking().Where(a => a.MessageId == messageId)
            .OrderBy(a => a.FileName).Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Size)).ToListAsync(ct);
        return new MessageView(row.m.Id, row.m.ThreadId, row.m.SenderId, row.Sender, row.m.Subject, row.m.BodyHtml, row.m.RecipientsLabel,
            row.m.RecipientCount, row.m.SentAt, row.m.SenderId == userId, row.Trashed, attachments, thread);
    }

    public async Task<bool> SetTrashedAsync(Guid userId, Guid messageId, bool trashed, CancellationToken ct) =>
        await db.MailboxEntries.Where(e => e.OwnerId == userId && e.MessageId == messageId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Folder, e => trashed ? MailboxFolder.Trash
                : e.Box == MailboxBox.Inbox ? MailboxFolder.Inbox : MailboxFolder.Sent), ct) > 0;

    // ---- drafts ----

    /// <summary>A draft may answer only a message the writer holds in their own mailbox: one of
    /// another school, or one they cannot read, is refused like an unknown one.</summary>
    public async Task<bool> MayReplyToAsync(Guid userId, Guid? replyToId, CancellationToken ct) =>
        replyToId is not { } id || await db.MailboxEntries.AsNoTracking().AnyAsync(e => e.OwnerId == userId && e.MessageId == id, ct);

    /// <summary>Creates or updates a draft; an update only touches a draft of the caller (WHERE).
    /// Returns null when the draft given is not the caller's.</summary>
    public async Task<Guid?> SaveDraftAsync(Guid ownerId, Guid? draftId, string? subject, string? body, IEnumerable<string>? to, Guid? replyToId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var s = Truncate((subject ?? "").Trim(), 200);
        var b = Truncate(body ?? "", _options.MaxBodyLength);
        var tokens = Truncate(AudienceToken.Join(AudienceToken.ParseList(string.Join(',', to ?? []))), 4_000);
        if (draftId is { } id)
        {
            var updated = await db.MessageDrafts.Where(d => d.Id == id && d.OwnerId == ownerId)
                .ExecuteUpdateAsync(x => x.SetProperty(d => d.Subject, s).SetProperty(d => d.Body, b)
                    .SetProperty(d => d.AudienceTokens, tokens).SetProperty(d => d.ReplyToId, replyToId).SetProperty(d => d.UpdatedAt, now), ct);
            return updated > 0 ? id : null;
        }

        var draft = new MessageDraft { OwnerId = ownerId, Subject = s, Body = b, AudienceTokens = tokens, ReplyToId = replyToId, UpdatedAt = now };
        db.MessageDrafts.Add(draft);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return draft.Id;
    }

    public async Task<DraftView?> GetDraftAsync(Guid ownerId, Guid draftId, CancellationToken ct)
    {
        var d = await db.MessageDrafts.AsNoTracking().Where(x => x.Id == draftId && x.OwnerId == ownerId).SingleOrDefaultAsync(ct);
        if (d is null)
        {
            return null;
        }

        var attachments = await db.MessageAttachments.AsNoTracking().Where(a => a.DraftId == draftId && a.OwnerId == ownerId)
            .OrderBy(a => a.FileName).Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Size)).ToListAsync(ct);
        return new DraftView(d.Id, d.Subject, d.Body, AudienceToken.ParseList(d.AudienceTokens).Select(t => t.ToString()).ToList(),
            d.ReplyToId, d.UpdatedAt, attachments);
    }

    public async Task<Paged<DraftView>> ListDraftsAsync(Guid ownerId, int page, CancellationToken ct)
    {
        page = Math.Max(1, page);
        var rows = await db.MessageDrafts.AsNoTracking().Where(d => d.OwnerId == ownerId)
            .OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id)
            .Skip((page - 1) * _options.PageSize).Take(_options.PageSize + 1)
            .Select(d => new { d.Id, d.Subject, d.Body, d.AudienceTokens, d.ReplyToId, d.UpdatedAt }).ToListAsync(ct);
        var items = rows.Take(_options.PageSize).Select(d => new DraftView(d.Id, d.Subject, d.Body,
            AudienceToken.ParseList(d.AudienceTokens).Select(t => t.ToString()).ToList(), d.ReplyToId, d.UpdatedAt, [])).ToList();
        return new Paged<DraftView>(items, page, _options.PageSize, rows.Count > _options.PageSize);
    }


    // ---- helpers ----

    private Dictionary<string, string[]> ValidateText(string? subject, string? body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(subject))
        {
            errors["subject"] = ["L'objet est obligatoire."];
        }
        else if (subject.Trim().Length > 200)
        {
            errors["subject"] = ["L'objet ne doit pas dépasser 200 caractères."];
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            errors["body"] = ["Le message est vide."];
        }
        else if (body.Length > _options.MaxBodyLength)
        {
            errors["body"] = [$"Le message ne doit pas dépasser {_options.MaxBodyLength} caractères."];
        }

        return errors;
    }

    private static List<AudienceToken> ParseTokens(IReadOnlyList<string>? to, Dictionary<string, string[]> errors)
    {
        var tokens = new List<AudienceToken>();
        if (to is null || to.Count == 0)
        {
            errors["to"] = ["Choisissez au moins un destinataire."];
            return tokens;
        }

        if (to.Count > 200)
        {
            errors["to"] = ["Trop de destinataires choisis un par un : choisissez plutôt une classe."];
            return tokens;
        }

        foreach (var text in to)
        {
            if (!AudienceToken.TryParse(text, out var token))
            {
                errors["to"] = ["Un destinataire n'est pas reconnu."];
                return tokens;
            }

            tokens.Add(token.Value);
        }

        return tokens.Distinct().ToList();
    }

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}
