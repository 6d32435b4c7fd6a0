using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;
using Preau.Data.SchoolLife;

namespace Preau.Data.Configurations;

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

internal sealed class TimetableLessonConfiguration : IEntityTypeConfiguration<TimetableLesson>
{
    public void Configure(EntityTypeBuilder<TimetableLesson> builder)
    {
        builder.ToTable("TimetableLessons");
        builder.Property(l => l.Room).HasMaxLength(50);
        builder.HasIndex(l => l.GroupId);
        builder.HasIndex(l => l.TeacherId);
        builder.HasOne(l => l.Group).WithMany().HasForeignKey(l => l.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(l => l.Subject).WithMany().HasForeignKey(l => l.SubjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(l => l.Teacher).WithMany().HasForeignKey(l => l.TeacherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(l => l.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TimetableChangeConfiguration : IEntityTypeConfiguration<TimetableChange>
{
    public void Configure(EntityTypeBuilder<TimetableChange> builder)
    {
        builder.ToTable("TimetableChanges");
        builder.Property(c => c.NewRoom).HasMaxLength(50);
        builder.Property(c => c.Note).HasMaxLength(500);
        builder.HasIndex(c => new { c.LessonId, c.Date }).IsUnique();
        builder.HasOne(c => c.Lesson).WithMany().HasForeignKey(c => c.LessonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.ReplacementTeacher).WithMany().HasForeignKey(c => c.ReplacementTeacherId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> builder)
    {
        builder.ToTable("CalendarFeeds");
        builder.Property(f => f.TokenHash).HasMaxLength(64);
        builder.HasIndex(f => f.TokenHash).IsUnique();
        builder.HasIndex(f => f.PersonId);
        builder.HasOne(f => f.Person).WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
