using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Preau.Data.Accounts;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.HasKey(a => a.PersonId);
        builder.Property(a => a.Login).HasMaxLength(100);
        builder.Property(a => a.PasswordHash).HasMaxLength(256);
        builder.Property(a => a.ActivationCodeHash).HasMaxLength(64);
        builder.Property(a => a.SecurityStamp).HasMaxLength(32).IsConcurrencyToken();
        builder.HasIndex(a => a.Login).IsUnique();
        builder.HasOne(a => a.Person).WithOne().HasForeignKey<Account>(a => a.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
