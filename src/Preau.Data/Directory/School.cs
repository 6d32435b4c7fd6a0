namespace Preau.Data.Directory;

public sealed class School
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RegionId { get; set; }
    public Region? Region { get; set; }

    /// <summary>Unité Administrative Immatriculée: 7 digits and a letter, unique nationally.</summary>
    public required string Uai { get; set; }
    public required string Name { get; set; }
    public required string City { get; set; }
}
