using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Preau.Data.Apps;

/// <summary>
/// A CAS service ticket waiting for its app to validate it: one-time (the validation deletes the row and
/// only the request whose delete counted one gets the person), short-lived, in the database so that any
/// node can validate a ticket another node issued.
/// </summary>
public sealed class CasTicket
{
    /// <summary>"ST-" and 256 random bits as 43 letters and digits.</summary>
    public required string Id { get; set; }
    public Guid AppId { get; set; }
    public Guid PersonId { get; set; }
    public required string SessionId { get; set; }

    /// <summary>The service URL exactly as the app sent it to /cas/login.</summary>
    public required string Service { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class CasTicketConfiguration : IEntityTypeConfiguration<CasTicket>
{
    public void Configure(EntityTypeBuilder<CasTicket> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(64);
        builder.Property(t => t.SessionId).HasMaxLength(64);
        builder.Property(t => t.Service).HasMaxLength(2000);
        builder.HasIndex(t => t.ExpiresAt);
        builder.HasOne<ConnectedApp>().WithMany().HasForeignKey(t => t.AppId).OnDelete(DeleteBehavior.Cascade);
    }
}
