using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Preau.Data.Accounts;

internal sealed class RememberedDeviceConfiguration : IEntityTypeConfiguration<RememberedDevice>
{
    public void Configure(EntityTypeBuilder<RememberedDevice> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.SecretHash).HasMaxLength(64);
        builder.Property(d => d.SecurityStamp).HasMaxLength(32);
        builder.Property(d => d.Label).HasMaxLength(100);
        builder.HasIndex(d => d.PersonId);
        builder.HasIndex(d => d.CreatedAt);
        builder.HasOne(d => d.Person).WithMany().HasForeignKey(d => d.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
