using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Messaging;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Subject).HasMaxLength(200);
        builder.Property(m => m.BodySource).HasMaxLength(20_000);
        builder.Property(m => m.BodyHtml).HasMaxLength(60_000);
        builder.Property(m => m.RecipientsLabel).HasMaxLength(500);
        builder.Property(m => m.AudienceTokens).HasMaxLength(4_000);
        builder.HasIndex(m => m.ThreadId);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.SenderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MailboxEntryConfiguration : IEntityTypeConfiguration<MailboxEntry>
{
    public void Configure(EntityTypeBuilder<MailboxEntry> builder)
    {
        builder.HasKey(e => new { e.OwnerId, e.MessageId });
        // The inbox, sent and trash listings and the unread count are range scans of this index.
        // Ends with MessageId so that the tie-break of the ORDER BY is in the index too: a page is
        // read in index order with no sort, however large the folder.
        builder.HasIndex(e => new { e.OwnerId, e.Folder, e.SentAt, e.MessageId });
        builder.HasIndex(e => e.MessageId);
        builder.HasOne(e => e.Message).WithMany().HasForeignKey(e => e.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageDraftConfiguration : IEntityTypeConfiguration<MessageDraft>
{
    public void Configure(EntityTypeBuilder<MessageDraft> builder)
    {
        builder.Property(d => d.Subject).HasMaxLength(200);
        builder.Property(d => d.Body).HasMaxLength(20_000);
        builder.Property(d => d.AudienceTokens).HasMaxLength(4_000);
        builder.HasIndex(d => new { d.OwnerId, d.UpdatedAt });
        builder.HasOne<Person>().WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageAttachmentConfiguration : IEntityTypeConfiguration<MessageAttachment>
{
    public void Configure(EntityTypeBuilder<MessageAttachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(200);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.StoredName).HasMaxLength(64);
        builder.HasIndex(a => a.MessageId);
        builder.HasIndex(a => a.DraftId);
        builder.HasOne<Message>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<MessageDraft>().WithMany().HasForeignKey(a => a.DraftId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SchoolCommunicationRulesConfiguration : IEntityTypeConfiguration<SchoolCommunicationRules>
{
    public void Configure(EntityTypeBuilder<SchoolCommunicationRules> builder)
    {
        builder.HasKey(r => r.SchoolId);
        builder.HasOne<School>().WithOne().HasForeignKey<SchoolCommunicationRules>(r => r.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
