namespace Preau.Data.Directory;

/// <summary>A legal guardian of a pupil. A pupil may have several, a parent several children.</summary>
public sealed class GuardianLink
{
    public Guid ParentId { get; set; }
    public Person? Parent { get; set; }
    public Guid ChildId { get; set; }
    public Person? Child { get; set; }
}
