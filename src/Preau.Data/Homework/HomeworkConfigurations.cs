using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Homework;

internal sealed class HomeworkEntryConfiguration : IEntityTypeConfiguration<HomeworkEntry>
{
    public void Configure(EntityTypeBuilder<HomeworkEntry> builder)
    {
        builder.ToTable("HomeworkEntries");
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Body).HasMaxLength(20_000);
        // The class cache loads one group's week: (GroupId, Date) is the hot index.
        builder.HasIndex(e => new { e.GroupId, e.Date });
        builder.HasIndex(e => new { e.SchoolId, e.Date });
        builder.HasIndex(e => e.AuthorId);
        builder.HasOne(e => e.Group).WithMany().HasForeignKey(e => e.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Subject).WithMany().HasForeignKey(e => e.SubjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Author).WithMany().HasForeignKey(e => e.AuthorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(e => e.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(e => e.Attachments).WithOne(a => a.Entry).HasForeignKey(a => a.EntryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HomeworkAttachmentConfiguration : IEntityTypeConfiguration<HomeworkAttachment>
{
    public void Configure(EntityTypeBuilder<HomeworkAttachment> builder)
    {
        builder.ToTable("HomeworkAttachments");
        builder.Property(a => a.FileName).HasMaxLength(255);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.StorageName).HasMaxLength(64);
        builder.HasIndex(a => a.StorageName).IsUnique();
    }
}

internal sealed class HomeworkDoneConfiguration : IEntityTypeConfiguration<HomeworkDone>
{
    public void Configure(EntityTypeBuilder<HomeworkDone> builder)
    {
        builder.ToTable("HomeworkDone");
        builder.HasKey(d => new { d.EntryId, d.PupilId });
        builder.HasIndex(d => d.PupilId);
        builder.HasOne(d => d.Entry).WithMany().HasForeignKey(d => d.EntryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.Pupil).WithMany().HasForeignKey(d => d.PupilId).OnDelete(DeleteBehavior.Cascade);
    }
}
