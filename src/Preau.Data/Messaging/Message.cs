namespace Preau.Data.Messaging;

/// <summary>
/// One sent message. The body is stored once, however many recipients: each recipient (and
/// the sender) gets a small <see cref="MailboxEntry"/> row instead.
/// </summary>
public sealed class Message
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The conversation: the first message's id, shared by every reply.</summary>
    public Guid ThreadId { get; set; }
    public Guid SenderId { get; set; }
    public required string Subject { get; set; }

    /// <summary>What the sender typed (Markdown or plain text), kept for quoting and forwarding.</summary>
    public required string BodySource { get; set; }

    /// <summary>The sanitised HTML rendered once at send time.</summary>
    public required string BodyHtml { get; set; }

    /// <summary>"Parents de 4e1, M. Martin": shown instead of 800 names.</summary>
    public required string RecipientsLabel { get; set; }

    /// <summary>The audiences as typed tokens (see AudienceToken), for reply-all.</summary>
    public required string AudienceTokens { get; set; }
    public int RecipientCount { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

/// <summary>Where a message came in: received or sent. Kept when it goes to the trash, for restoring.</summary>
public enum MailboxBox
{
    Inbox = 1,
    Sent = 2,
}

/// <summary>The folder a mailbox row is in now. An integer column, not a "trashed" flag, so that
/// every folder listing is an equality on the index (SQLite cannot seek on NOT flag).</summary>
public enum MailboxFolder
{
    Inbox = 1,
    Sent = 2,
    Trash = 3,
}

/// <summary>A message as it sits in one person's mailbox: folder, read and trash state.</summary>
public sealed class MailboxEntry
{
    public Guid OwnerId { get; set; }
    public Guid MessageId { get; set; }
    public Message? Message { get; set; }
    public MailboxBox Box { get; set; }
    public MailboxFolder Folder { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>Copied from the message so that listing a 10,000-message inbox is one index range scan.</summary>
    public DateTimeOffset SentAt { get; set; }
}

/// <summary>A message being written. Saved server-side so nothing typed is lost.</summary>
public sealed class MessageDraft
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OwnerId { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public string AudienceTokens { get; set; } = "";
    public Guid? ReplyToId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A file attached to a draft, then to the message sent from it; the bytes live on
/// disk under a random name.</summary>
public sealed class MessageAttachment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OwnerId { get; set; }
    public Guid? DraftId { get; set; }
    public Guid? MessageId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string StoredName { get; set; }
}

/// <summary>Per-school communication rules; a school without a row uses the defaults.</summary>
public sealed class SchoolCommunicationRules
{
    public Guid SchoolId { get; set; }
    public bool PupilsToTeachers { get; set; } = true;
    public bool PupilsToStaff { get; set; } = true;
    public bool PupilsToClassmates { get; set; } = true;
    public bool ParentsToTeachers { get; set; } = true;
    public bool ParentsToStaff { get; set; } = true;
    public bool TeachersToParents { get; set; } = true;
    public bool TeachersToWholeClasses { get; set; } = true;
    public bool StaffToWholeSchool { get; set; } = true;

    /// <summary>Off: a teacher writes only to the pupils and parents of the groups they teach.</summary>
    public bool TeachersToAnyPupilOrParent { get; set; } = true;
}
