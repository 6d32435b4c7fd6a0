namespace Preau.Data.Directory;

/// <summary>The tenant: an académie or a region that runs one Préau.</summary>
public sealed class Region
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
}
