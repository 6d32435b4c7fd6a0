namespace Preau.Surge.Accounts;

internal enum UserProfile
{
    Pupil,
    Parent,
    Teacher,
    Staff,
    SchoolAdmin,
    RegionAdmin,
}

internal sealed record SeedAccount(string Login, string Password, UserProfile Profile, string School, string Class);
