using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Import;

internal sealed class ImportedPersonConfiguration : IEntityTypeConfiguration<ImportedPerson>
{
    public void Configure(EntityTypeBuilder<ImportedPerson> builder)
    {
        builder.ToTable("ImportedPeople");
        builder.HasKey(p => p.PersonId);
        builder.Property(p => p.ExternalId).HasMaxLength(64);
        builder.Property(p => p.NationalId).HasMaxLength(16);
        builder.HasIndex(p => new { p.SchoolId, p.ExternalId });
        builder.HasIndex(p => new { p.SchoolId, p.NationalId });
        builder.HasOne(p => p.Person).WithOne().HasForeignKey<ImportedPerson>(p => p.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<School>().WithMany().HasForeignKey(p => p.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ActivationResetConfiguration : IEntityTypeConfiguration<ActivationReset>
{
    public void Configure(EntityTypeBuilder<ActivationReset> builder)
    {
        builder.ToTable("ActivationResets");
        builder.Property(r => r.Reason).HasMaxLength(16);
        builder.HasIndex(r => r.PersonId);
        builder.HasIndex(r => new { r.SchoolId, r.IssuedAt });
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.IssuedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<School>().WithMany().HasForeignKey(r => r.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
