using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preau.Data.Directory;

namespace Preau.Data.Timeline;

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> builder)
    {
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.Property(e => e.Title).HasMaxLength(300);
        builder.Property(e => e.Link).HasMaxLength(300);
        // A reader's feed is a handful of seeks on this index, one per audience key they belong to.
        builder.HasIndex(e => new { e.AudienceKind, e.TargetId, e.CreatedAt });
    }
}

internal sealed class TimelineWatermarkConfiguration : IEntityTypeConfiguration<TimelineWatermark>
{
    public void Configure(EntityTypeBuilder<TimelineWatermark> builder)
    {
        builder.HasKey(w => w.PersonId);
        builder.HasOne<Person>().WithOne().HasForeignKey<TimelineWatermark>(w => w.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
