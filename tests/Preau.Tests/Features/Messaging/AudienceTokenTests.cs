using Preau.Data.Directory;
using Preau.Web.Features.Messaging;

namespace Preau.Tests.Features.Messaging;

public sealed class AudienceTokenTests
{
    [Theory]
    [InlineData("person:0193a3a1-0000-7000-8000-000000000001", AudienceKind.Person, null)]
    [InlineData("pupils:0193a3a1-0000-7000-8000-000000000001", AudienceKind.GroupPupils, null)]
    [InlineData("parents:0193a3a1-0000-7000-8000-000000000001", AudienceKind.GroupParents, null)]
    [InlineData("school:0193a3a1-0000-7000-8000-000000000001:Parent", AudienceKind.SchoolProfile, Profile.Parent)]
    public void TryParse_KnownForm_RoundTrips(string text, AudienceKind kind, Profile? profile)
    {
        Assert.True(AudienceToken.TryParse(text, out var token));
        Assert.Equal(kind, token.Value.Kind);
        Assert.Equal(profile, token.Value.Profile);
        Assert.Equal(text, token.Value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("person:not-a-guid")]
    [InlineData("everyone:0193a3a1-0000-7000-8000-000000000001")]
    [InlineData("school:0193a3a1-0000-7000-8000-000000000001:RegionAdmin")]
    [InlineData("school:0193a3a1-0000-7000-8000-000000000001")]
    [InlineData("pupils:0193a3a1-0000-7000-8000-000000000001:extra")]
    public void TryParse_ForgedOrMalformed_Refused(string text)
    {
        Assert.False(AudienceToken.TryParse(text, out _));
    }
}
