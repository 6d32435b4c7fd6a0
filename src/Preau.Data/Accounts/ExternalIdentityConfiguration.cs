using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Preau.Data.Accounts;

internal sealed class ExternalIdentityConfiguration : IEntityTypeConfiguration<ExternalIdentity>
{
    public void Configure(EntityTypeBuilder<ExternalIdentity> builder)
    {
        builder.HasKey(e => new { e.Provider, e.Subject });
        builder.Property(e => e.Provider).HasMaxLength(300);
        builder.Property(e => e.Subject).HasMaxLength(255);
        builder.HasIndex(e => e.PersonId);
        builder.HasOne(e => e.Person).WithMany().HasForeignKey(e => e.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
