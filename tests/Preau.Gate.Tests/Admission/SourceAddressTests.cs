using System.Net;
using Preau.Gate.Admission;

namespace Preau.Gate.Tests.Admission;

public sealed class SourceAddressTests
{
    [Theory]
    [InlineData("2001:db8:1:2::a", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::a", "2001:db8:1:3::a", false)]
    [InlineData("203.0.113.9", "::ffff:203.0.113.9", true)]
    [InlineData("203.0.113.9", "203.0.113.10", false)]
    [InlineData("::ffff:203.0.113.9", "::ffff:203.0.113.10", false)]
    public void Key_TwoAddresses_SameSourceOnlyWithinOneIPv6SlashSixtyFourOrOneIPv4(string one, string other, bool same)
    {
        var first = SourceAddress.Key(IPAddress.Parse(one));
        var second = SourceAddress.Key(IPAddress.Parse(other));

        Assert.NotNull(first);
        Assert.Equal(same, first == second);
    }

    [Fact]
    public void Key_NoAddress_IsNull() => Assert.Null(SourceAddress.Key(null));
}
