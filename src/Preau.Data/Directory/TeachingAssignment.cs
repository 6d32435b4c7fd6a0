namespace Preau.Data.Directory;

/// <summary>A teacher teaches a subject to a class or group.</summary>
public sealed class TeachingAssignment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TeacherId { get; set; }
    public Person? Teacher { get; set; }
    public Guid GroupId { get; set; }
    public Group? Group { get; set; }
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
}
