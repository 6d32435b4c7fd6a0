namespace Preau.Data.Directory;

/// <summary>A pupil in a class or a group.</summary>
public sealed class GroupMembership
{
    public Guid GroupId { get; set; }
    public Group? Group { get; set; }
    public Guid PupilId { get; set; }
    public Person? Pupil { get; set; }
}
