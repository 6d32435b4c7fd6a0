namespace Preau.Data.Directory;

/// <summary>A taught subject (Mathématiques, Latin…), shared by every school of a region.</summary>
public sealed class Subject
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RegionId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
}
