using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Homework;

internal sealed class WorkSubmissionConfiguration : IEntityTypeConfiguration<WorkSubmission>
{
    public void Configure(EntityTypeBuilder<WorkSubmission> builder)
    {
        builder.ToTable("WorkSubmissions");
        builder.HasIndex(s => new { s.EntryId, s.PupilId }).IsUnique();
        builder.HasIndex(s => s.PupilId);
        builder.Property(s => s.Text).HasMaxLength(20_000);
        builder.Property(s => s.ReturnComment).HasMaxLength(5_000);
        builder.Property(s => s.Mark).HasPrecision(6, 2);
        builder.HasOne(s => s.Entry).WithMany().HasForeignKey(s => s.EntryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Pupil).WithMany().HasForeignKey(s => s.PupilId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(s => s.ReturnedById).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(s => s.Files).WithOne(f => f.Submission).HasForeignKey(f => f.SubmissionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WorkFileConfiguration : IEntityTypeConfiguration<WorkFile>
{
    public void Configure(EntityTypeBuilder<WorkFile> builder)
    {
        builder.ToTable("WorkFiles");
        builder.Property(f => f.FileName).HasMaxLength(255);
        builder.Property(f => f.ContentType).HasMaxLength(100);
        builder.Property(f => f.StorageName).HasMaxLength(64);
        builder.HasIndex(f => f.StorageName).IsUnique();
    }
}
