using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Assessment;

internal sealed class AssessmentEntryConfiguration : IEntityTypeConfiguration<AssessmentEntry>
{
    public void Configure(EntityTypeBuilder<AssessmentEntry> builder)
    {
        builder.ToTable("Assessments");
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.Property(a => a.OutOf).HasPrecision(6, 2);
        builder.Property(a => a.Coefficient).HasPrecision(6, 2);
        builder.HasIndex(a => new { a.GroupId, a.Date });
        builder.HasIndex(a => new { a.SchoolId, a.Date });
        builder.HasIndex(a => a.TeacherId);
        builder.HasOne(a => a.Group).WithMany().HasForeignKey(a => a.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(a => a.Subject).WithMany().HasForeignKey(a => a.SubjectId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Teacher).WithMany().HasForeignKey(a => a.TeacherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(a => a.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(a => a.Skills).WithOne().HasForeignKey(s => s.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssessmentSkillConfiguration : IEntityTypeConfiguration<AssessmentSkill>
{
    public void Configure(EntityTypeBuilder<AssessmentSkill> builder)
    {
        builder.ToTable("AssessmentSkills");
        builder.Property(s => s.Name).HasMaxLength(100);
    }
}

internal sealed class AssessmentResultConfiguration : IEntityTypeConfiguration<AssessmentResult>
{
    public void Configure(EntityTypeBuilder<AssessmentResult> builder)
    {
        builder.ToTable("AssessmentResults");
        builder.Property(r => r.Value).HasPrecision(6, 2);
        builder.HasIndex(r => new { r.AssessmentId, r.PupilId, r.SkillId }).IsUnique();
        // A pupil's results page reads by pupil.
        builder.HasIndex(r => r.PupilId);
        builder.HasOne(r => r.Assessment).WithMany().HasForeignKey(r => r.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PupilId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AssessmentSkill>().WithMany().HasForeignKey(r => r.SkillId).OnDelete(DeleteBehavior.Cascade);
    }
}
