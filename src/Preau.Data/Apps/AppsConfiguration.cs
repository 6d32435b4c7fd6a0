using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Preau.Data.Apps;

internal sealed class ConnectedAppConfiguration : IEntityTypeConfiguration<ConnectedApp>
{
    public void Configure(EntityTypeBuilder<ConnectedApp> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Name).HasMaxLength(100);
        builder.Property(a => a.ClientId).HasMaxLength(100);
        builder.HasIndex(a => a.ClientId).IsUnique();
        builder.Property(a => a.ClientSecretHash).HasMaxLength(200);
        builder.Property(a => a.RedirectUris).HasMaxLength(4000);
        builder.Property(a => a.PostLogoutRedirectUris).HasMaxLength(4000);
        builder.Property(a => a.LogoutUri).HasMaxLength(2000);
        builder.Property(a => a.LaunchUrl).HasMaxLength(2000);
        builder.Property(a => a.ReleasedClaims).HasMaxLength(200);
        builder.Property(a => a.AllowedProfiles).HasMaxLength(200);
        builder.Property(a => a.Protocol).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(a => a.RegionId);
    }
}

internal sealed class AppSignInConfiguration : IEntityTypeConfiguration<AppSignIn>
{
    public void Configure(EntityTypeBuilder<AppSignIn> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.SessionId).HasMaxLength(64);
        builder.Property(s => s.Reference).HasMaxLength(200);
        builder.Property(s => s.Service).HasMaxLength(2000);
        builder.HasIndex(s => s.SessionId);
        builder.HasIndex(s => new { s.AppId, s.Reference });
        builder.HasOne(s => s.App).WithMany().HasForeignKey(s => s.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AppSubjectConfiguration : IEntityTypeConfiguration<AppSubject>
{
    public void Configure(EntityTypeBuilder<AppSubject> builder)
    {
        builder.HasKey(s => new { s.AppId, s.PersonId });
        builder.Property(s => s.Subject).HasMaxLength(32);
        builder.HasIndex(s => new { s.AppId, s.Subject }).IsUnique();
        builder.HasOne<ConnectedApp>().WithMany().HasForeignKey(s => s.AppId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Directory.Person>().WithMany().HasForeignKey(s => s.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SsoKeyConfiguration : IEntityTypeConfiguration<SsoKey>
{
    public void Configure(EntityTypeBuilder<SsoKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Use).HasMaxLength(3);
        builder.Property(k => k.ProtectedCertificate).HasMaxLength(20000);
        builder.HasIndex(k => new { k.Use, k.CreatedAt });
    }
}
