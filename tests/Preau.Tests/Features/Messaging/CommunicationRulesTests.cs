using Preau.Data.Directory;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Messaging;

namespace Preau.Tests.Features.Messaging;

/// <summary>The rules as a table: one small world (two schools, one region) and every tie that matters.</summary>
public sealed class CommunicationRulesTests
{
    private static readonly Guid s_region = Guid.NewGuid();
    private static readonly Guid s_otherRegion = Guid.NewGuid();
    private static readonly Guid s_schoolA = Guid.NewGuid();
    private static readonly Guid s_schoolB = Guid.NewGuid();
    private static readonly Guid s_classA1 = Guid.NewGuid();
    private static readonly Guid s_classA2 = Guid.NewGuid();
    private static readonly Guid s_classB1 = Guid.NewGuid();

    private static readonly Func<Guid, CommunicationRuleSet> s_defaults = _ => CommunicationRuleSet.Defaults;

    private static PersonRelations Pupil(Guid school, Guid cls) =>
        new(Guid.NewGuid(), Profile.Pupil, school, s_region, new HashSet<Guid> { cls }, new HashSet<Guid>(), new HashSet<Guid>(), new HashSet<Guid>());

    private static PersonRelations Teacher(Guid school, params Guid[] classes) =>
        new(Guid.NewGuid(), Profile.Teacher, school, s_region, new HashSet<Guid>(), classes.ToHashSet(), new HashSet<Guid>(), new HashSet<Guid>());

    private static PersonRelations Parent(Guid school, Guid childClass) =>
        new(Guid.NewGuid(), Profile.Parent, null, s_region, new HashSet<Guid>(), new HashSet<Guid>(), new HashSet<Guid> { childClass }, new HashSet<Guid> { school });

    private static PersonRelations Staff(Guid school, Profile profile = Profile.Staff) => PersonRelations.Simple(Guid.NewGuid(), profile, school, s_region);

    private static PersonRelations RegionAdmin(Guid? region = null) => PersonRelations.Simple(Guid.NewGuid(), Profile.RegionAdmin, null, region ?? s_region);

    private static bool May(PersonRelations from, PersonRelations to, CommunicationRuleSet? rules = null) =>
        CommunicationRules.MayWriteTo(from, to, rules is null ? s_defaults : _ => rules);

    [Fact]
    public void MayWriteTo_PupilToOwnTeacherStaffAndClassmate_Allowed()
    {
        var pupil = Pupil(s_schoolA, s_classA1);
        Assert.True(May(pupil, Teacher(s_schoolA, s_classA1)));
        Assert.True(May(pupil, Staff(s_schoolA)));
        Assert.True(May(pupil, Staff(s_schoolA, Profile.SchoolAdmin)));
        Assert.True(May(pupil, Pupil(s_schoolA, s_classA1)));
    }

    [Fact]
    public void MayWriteTo_PupilToOtherClassOtherSchoolParentOrRegion_Refused()
    {
        var pupil = Pupil(s_schoolA, s_classA1);
        Assert.False(May(pupil, Teacher(s_schoolA, s_classA2)));
        Assert.False(May(pupil, Pupil(s_schoolA, s_classA2)));
        Assert.False(May(pupil, Teacher(s_schoolB, s_classA1)));
        Assert.False(May(pupil, Staff(s_schoolB)));
        Assert.False(May(pupil, Parent(s_schoolA, s_classA1)));
        Assert.False(May(pupil, RegionAdmin()));
    }

    [Fact]
    public void MayWriteTo_PupilWhenSchoolSwitchesOff_Refused()
    {
        var pupil = Pupil(s_schoolA, s_classA1);
        var closed = new CommunicationRuleSet(PupilsToTeachers: false, PupilsToClassmates: false, PupilsToStaff: false);
        Assert.False(May(pupil, Teacher(s_schoolA, s_classA1), closed));
        Assert.False(May(pupil, Pupil(s_schoolA, s_classA1), closed));
        Assert.False(May(pupil, Staff(s_schoolA), closed));
    }

    [Fact]
    public void MayWriteTo_ParentToChildTeacherAndChildSchoolStaff_Allowed()
    {
        var parent = Parent(s_schoolA, s_classA1);
        Assert.True(May(parent, Teacher(s_schoolA, s_classA1)));
        Assert.True(May(parent, Staff(s_schoolA)));
    }

    [Fact]
    public void MayWriteTo_ParentToOtherTeacherOtherSchoolPupilOrParent_Refused()
    {
        var parent = Parent(s_schoolA, s_classA1);
        Assert.False(May(parent, Teacher(s_schoolA, s_classA2)));
        Assert.False(May(parent, Staff(s_schoolB)));
        Assert.False(May(parent, Teacher(s_schoolB, s_classB1)));
        Assert.False(May(parent, Pupil(s_schoolA, s_classA1)));
        Assert.False(May(parent, Parent(s_schoolA, s_classA1)));
        Assert.False(May(parent, Teacher(s_schoolA, s_classA1), new CommunicationRuleSet(ParentsToTeachers: false)));
    }

    [Fact]
    public void MayWriteTo_TeacherOrStaffToAnyoneOfTheirSchoolAndItsParents_Allowed()
    {
        foreach (var sender in new[] { Teacher(s_schoolA, s_classA1), Staff(s_schoolA), Staff(s_schoolA, Profile.SchoolAdmin) })
        {
            Assert.True(May(sender, Pupil(s_schoolA, s_classA2)));
            Assert.True(May(sender, Teacher(s_schoolA, s_classA2)));
            Assert.True(May(sender, Staff(s_schoolA)));
            Assert.True(May(sender, Parent(s_schoolA, s_classA2)));
        }
    }

    [Fact]
    public void MayWriteTo_TeacherWhenSchoolKeepsThemToTheirClasses_OwnPupilsAndParentsOnly()
    {
        var rules = new CommunicationRuleSet(TeachersToAnyPupilOrParent: false);
        var teacher = Teacher(s_schoolA, s_classA1);
        Assert.True(May(teacher, Pupil(s_schoolA, s_classA1), rules));
        Assert.True(May(teacher, Parent(s_schoolA, s_classA1), rules));
        Assert.False(May(teacher, Pupil(s_schoolA, s_classA2), rules));
        Assert.False(May(teacher, Parent(s_schoolA, s_classA2), rules));
        // Colleagues and staff stay reachable; the staff keep writing to every family.
        Assert.True(May(teacher, Teacher(s_schoolA, s_classA2), rules));
        Assert.True(May(teacher, Staff(s_schoolA), rules));
        Assert.True(May(Staff(s_schoolA), Pupil(s_schoolA, s_classA2), rules));
        Assert.True(May(Staff(s_schoolA), Parent(s_schoolA, s_classA2), rules));
    }

    [Fact]
    public void MayWriteTo_TeacherOrStaffAcrossSchools_Refused()
    {
        foreach (var sender in new[] { Teacher(s_schoolA, s_classA1), Staff(s_schoolA) })
        {
            Assert.False(May(sender, Pupil(s_schoolB, s_classB1)));
            Assert.False(May(sender, Teacher(s_schoolB, s_classB1)));
            Assert.False(May(sender, Staff(s_schoolB)));
            Assert.False(May(sender, Parent(s_schoolB, s_classB1)));
        }
    }

    [Fact]
    public void MayWriteTo_TeacherToParentsWhenSchoolSwitchesOff_RefusedButStaffStillAllowed()
    {
        var rules = new CommunicationRuleSet(TeachersToParents: false);
        Assert.False(May(Teacher(s_schoolA, s_classA1), Parent(s_schoolA, s_classA1), rules));
        Assert.True(May(Staff(s_schoolA), Parent(s_schoolA, s_classA1), rules));
    }

    [Fact]
    public void MayWriteTo_RegionAdminAcrossSchoolsOfTheirRegion_AllowedButNotOtherRegion()
    {
        var admin = RegionAdmin();
        Assert.True(May(admin, Pupil(s_schoolA, s_classA1)));
        Assert.True(May(admin, Staff(s_schoolB)));
        Assert.True(May(admin, Parent(s_schoolB, s_classB1)));
        Assert.False(May(RegionAdmin(s_otherRegion), Staff(s_schoolA)));
        Assert.True(May(Staff(s_schoolA), admin));
        Assert.False(May(Teacher(s_schoolA, s_classA1), admin));
    }

    [Fact]
    public void MayWriteTo_Self_Refused()
    {
        var teacher = Teacher(s_schoolA, s_classA1);
        Assert.False(May(teacher, teacher));
    }

    [Fact]
    public void MayAddressGroup_TeacherOfTheClass_AllowedOtherClassOrSchoolRefused()
    {
        var teacher = Teacher(s_schoolA, s_classA1);
        Assert.True(CommunicationRules.MayAddressGroup(teacher, new GroupTarget(s_classA1, s_schoolA, s_region), s_defaults));
        Assert.False(CommunicationRules.MayAddressGroup(teacher, new GroupTarget(s_classA2, s_schoolA, s_region), s_defaults));
        Assert.False(CommunicationRules.MayAddressGroup(teacher, new GroupTarget(s_classB1, s_schoolB, s_region), s_defaults));
        Assert.False(CommunicationRules.MayAddressGroup(teacher, new GroupTarget(s_classA1, s_schoolA, s_region),
            _ => new CommunicationRuleSet(TeachersToWholeClasses: false)));
    }

    [Fact]
    public void MayAddressGroup_PupilParentOrOtherSchoolStaff_Refused()
    {
        var a1 = new GroupTarget(s_classA1, s_schoolA, s_region);
        Assert.False(CommunicationRules.MayAddressGroup(Pupil(s_schoolA, s_classA1), a1, s_defaults));
        Assert.False(CommunicationRules.MayAddressGroup(Parent(s_schoolA, s_classA1), a1, s_defaults));
        Assert.False(CommunicationRules.MayAddressGroup(Staff(s_schoolB), a1, s_defaults));
        Assert.True(CommunicationRules.MayAddressGroup(Staff(s_schoolA), a1, s_defaults));
        Assert.True(CommunicationRules.MayAddressGroup(RegionAdmin(), a1, s_defaults));
    }

    [Fact]
    public void MayAddressSchoolProfile_OnlyOwnSchoolStaffAndRegionStaff()
    {
        Assert.True(CommunicationRules.MayAddressSchoolProfile(Staff(s_schoolA), s_schoolA, s_region, s_defaults));
        Assert.False(CommunicationRules.MayAddressSchoolProfile(Staff(s_schoolB), s_schoolA, s_region, s_defaults));
        Assert.False(CommunicationRules.MayAddressSchoolProfile(Teacher(s_schoolA, s_classA1), s_schoolA, s_region, s_defaults));
        Assert.False(CommunicationRules.MayAddressSchoolProfile(Pupil(s_schoolA, s_classA1), s_schoolA, s_region, s_defaults));
        Assert.True(CommunicationRules.MayAddressSchoolProfile(RegionAdmin(), s_schoolB, s_region, s_defaults));
        Assert.False(CommunicationRules.MayAddressSchoolProfile(RegionAdmin(s_otherRegion), s_schoolB, s_region, s_defaults));
        Assert.False(CommunicationRules.MayAddressSchoolProfile(Staff(s_schoolA), s_schoolA, s_region, _ => new CommunicationRuleSet(StaffToWholeSchool: false)));
    }
}
