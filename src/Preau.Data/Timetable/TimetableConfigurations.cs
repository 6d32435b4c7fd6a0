using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Timetable;

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
        builder.Property(f => f.ProtectedToken).HasMaxLength(400);
        builder.HasIndex(f => f.TokenHash).IsUnique();
        builder.HasIndex(f => f.PersonId);
        builder.HasOne(f => f.Person).WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
