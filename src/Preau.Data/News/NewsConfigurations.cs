using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.News;

internal sealed class NewsItemConfiguration : IEntityTypeConfiguration<NewsItem>
{
    public void Configure(EntityTypeBuilder<NewsItem> builder)
    {
        builder.ToTable("News");
        builder.Property(n => n.Title).HasMaxLength(200);
        builder.Property(n => n.BodyHtml).HasMaxLength(60_000);
        builder.Property(n => n.AudienceLabel).HasMaxLength(500);
        builder.HasIndex(n => new { n.SchoolId, n.VisibleFrom });
        builder.HasMany(n => n.Audiences).WithOne().HasForeignKey(a => a.NewsId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<School>().WithMany().HasForeignKey(n => n.SchoolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(n => n.AuthorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class NewsAudienceConfiguration : IEntityTypeConfiguration<NewsAudience>
{
    public void Configure(EntityTypeBuilder<NewsAudience> builder)
    {
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.Kind, a.TargetId });
    }
}

internal sealed class NewsReceiptConfiguration : IEntityTypeConfiguration<NewsReceipt>
{
    public void Configure(EntityTypeBuilder<NewsReceipt> builder)
    {
        builder.HasKey(r => new { r.NewsId, r.PersonId });
        builder.HasOne<NewsItem>().WithMany().HasForeignKey(r => r.NewsId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
