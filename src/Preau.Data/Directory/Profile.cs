namespace Preau.Data.Directory;

/// <summary>What a person is in the school's life; drives every authorization decision.</summary>
public enum Profile
{
    Pupil = 1,
    Parent = 2,
    Teacher = 3,
    Staff = 4,
    SchoolAdmin = 5,
    RegionAdmin = 6,
}
