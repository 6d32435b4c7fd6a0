namespace Preau.Data.Directory;

/// <summary>Anyone in the directory. Credentials live apart, in <see cref="Accounts.Account"/>.</summary>
public sealed class Person
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RegionId { get; set; }

    /// <summary>The school a pupil, teacher, staff member or school administrator belongs to;
    /// null for parents (their children may be in several schools) and region administrators.</summary>
    public Guid? SchoolId { get; set; }
    public School? School { get; set; }

    public Profile Profile { get; set; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }

    public string DisplayName => $"{FirstName} {LastName}";
}
