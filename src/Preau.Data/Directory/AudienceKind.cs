namespace Preau.Data.Directory;

/// <summary>Who a message, a news item or a timeline entry is addressed to.</summary>
public enum AudienceKind
{
    /// <summary>One person (TargetId = person).</summary>
    Person = 1,

    /// <summary>The pupils of a class or group (TargetId = group).</summary>
    GroupPupils = 2,

    /// <summary>The guardians of the pupils of a class or group (TargetId = group).</summary>
    GroupParents = 3,

    /// <summary>Everyone of one profile in a school (TargetId = school, Profile set).
    /// For parents: the guardians of the school's pupils.</summary>
    SchoolProfile = 4,
}
