using Preau.Data.Directory;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Tests.Features.PeopleDirectory;

/// <summary>The checks that need no database: they read what <see cref="Relations"/> loaded.</summary>
public sealed class PersonRelationsTests
{
    private static readonly Guid s_region = Guid.NewGuid();
    private static readonly Guid s_schoolA = Guid.NewGuid();
    private static readonly Guid s_schoolB = Guid.NewGuid();
    private static readonly Guid s_classA1 = Guid.NewGuid();
    private static readonly Guid s_classB1 = Guid.NewGuid();
    private static readonly Guid s_maths = Guid.NewGuid();
    private static readonly Guid s_latin = Guid.NewGuid();

    private static PersonRelations Parent(params (Guid Child, Guid School, Guid Class)[] children) =>
        new(Guid.NewGuid(), Profile.Parent, null, s_region, new HashSet<Guid>(), new HashSet<Guid>(),
            children.Select(c => c.Class).ToHashSet(), children.Select(c => c.School).ToHashSet())
        {
            Children = [.. children.Select(c => new ChildRelations(c.Child, "Enfant", c.School, new HashSet<Guid> { c.Class }))],
        };

    [Fact]
    public void Schools_ParentWithChildrenInTwoSchools_BothAndNoOther()
    {
        var parent = Parent((Guid.NewGuid(), s_schoolA, s_classA1), (Guid.NewGuid(), s_schoolB, s_classB1));

        Assert.Equal(new HashSet<Guid> { s_schoolA, s_schoolB }, parent.Schools.ToHashSet());
        Assert.True(parent.BelongsToSchool(s_schoolB));
        Assert.False(parent.BelongsToSchool(Guid.NewGuid()));
    }

    [Fact]
    public void Schools_RegionAdministrator_None()
    {
        var admin = PersonRelations.Simple(Guid.NewGuid(), Profile.RegionAdmin, null, s_region);

        Assert.Empty(admin.Schools);
        Assert.False(admin.BelongsToSchool(s_schoolA));
    }

    [Fact]
    public void IsGuardianOf_OwnChildOnly()
    {
        var child = Guid.NewGuid();
        var parent = Parent((child, s_schoolA, s_classA1));

        Assert.True(parent.IsGuardianOf(child));
        Assert.False(parent.IsGuardianOf(Guid.NewGuid()));
        Assert.False(PersonRelations.Simple(child, Profile.Pupil, s_schoolA, s_region).IsGuardianOf(child));
    }

    [Fact]
    public void Teaches_SubjectAndGroupMustBothMatch()
    {
        var teacher = new PersonRelations(Guid.NewGuid(), Profile.Teacher, s_schoolA, s_region, new HashSet<Guid>(),
            new HashSet<Guid> { s_classA1 }, new HashSet<Guid>(), new HashSet<Guid>())
        {
            Teaching = [new TaughtClass(s_classA1, s_maths)],
        };

        Assert.True(teacher.Teaches(s_classA1, s_maths));
        Assert.False(teacher.Teaches(s_classA1, s_latin));
        Assert.False(teacher.Teaches(s_classB1, s_maths));
        Assert.False((teacher with { Profile = Profile.Staff }).Teaches(s_classA1, s_maths));
    }
}
