using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Attendance;

internal sealed class AttendanceRegisterConfiguration : IEntityTypeConfiguration<AttendanceRegister>
{
    public void Configure(EntityTypeBuilder<AttendanceRegister> builder)
    {
        builder.ToTable("AttendanceRegisters");
        builder.HasIndex(r => new { r.LessonId, r.Date }).IsUnique();
        builder.HasIndex(r => new { r.SchoolId, r.Date });
        builder.HasOne(r => r.Lesson).WithMany().HasForeignKey(r => r.LessonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.Group).WithMany().HasForeignKey(r => r.GroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.TakenBy).WithMany().HasForeignKey(r => r.TakenById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(r => r.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AttendanceMarkConfiguration : IEntityTypeConfiguration<AttendanceMark>
{
    public void Configure(EntityTypeBuilder<AttendanceMark> builder)
    {
        builder.ToTable("AttendanceMarks");
        builder.HasIndex(m => new { m.RegisterId, m.PupilId }).IsUnique();
        builder.HasIndex(m => m.PupilId);
        builder.Property(m => m.Comment).HasMaxLength(1000);
        builder.Property(m => m.DecisionComment).HasMaxLength(1000);
        builder.Property(m => m.DocumentStorageName).HasMaxLength(32);
        builder.Property(m => m.DocumentFileName).HasMaxLength(200);
        builder.Property(m => m.DocumentContentType).HasMaxLength(100);
        builder.HasOne(m => m.Register).WithMany(r => r.Marks).HasForeignKey(m => m.RegisterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.Pupil).WithMany().HasForeignKey(m => m.PupilId).OnDelete(DeleteBehavior.Cascade);
    }
}
