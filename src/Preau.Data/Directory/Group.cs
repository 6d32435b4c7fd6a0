namespace Preau.Data.Directory;

public enum GroupKind
{
    /// <summary>A pupil belongs to exactly one class ("4e3").</summary>
    Class = 1,

    /// <summary>Teaching groups that cut across classes ("Latin 4e").</summary>
    Group = 2,
}

/// <summary>A class or a group of a school.</summary>
public sealed class Group
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public School? School { get; set; }
    public required string Name { get; set; }
    public GroupKind Kind { get; set; }

    /// <summary>"6e", "5e", "4e", "3e"… for classes; may be empty for mixed groups.</summary>
    public string Level { get; set; } = "";
}
