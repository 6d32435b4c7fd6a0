using Preau.Web.Infrastructure;

namespace Preau.IntegrationTests.Features.Deployment;

public sealed class DeploymentSettingsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("AAAAAAAAAAA=", false)] // 8 bytes, the example
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", false)] // 31 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", true)] // 32 bytes
    [InlineData("pas du base64, même long de quarante-quatre", false)]
    public void IsStrongKey_Key_AcceptsOnlyUnsetOr32BytesOfBase64(string? key, bool expected) =>
        Assert.Equal(expected, DeploymentSettings.IsStrongKey(key, 32));

    [Theory]
    [InlineData(null, true)]
    [InlineData("127.0.0.1:6379", true)]
    [InlineData("redis.interne:6379,password=secret,ssl=true", true)]
    [InlineData("redis:abc", false)]
    [InlineData(",", false)]
    public void IsRedisAddress_Value_AcceptsHostPortWithOptions(string? value, bool expected) =>
        Assert.Equal(expected, DeploymentSettings.IsRedisAddress(value));

    [Theory]
    [InlineData("https://ent.exemple.fr", "ent.exemple.fr", true)]
    [InlineData("https://ent.exemple.fr/", "localhost;ENT.exemple.fr", true)]
    [InlineData("https://ent.exemple.fr", "*.exemple.fr", true)]
    [InlineData("https://ent.exemple.fr", "*", true)]
    [InlineData("https://ent.exemple.fr", "localhost;127.0.0.1;[::1]", false)]
    [InlineData(null, "localhost", true)]
    public void HostIsAllowed_PublicUrlAndAllowedHosts_AgreeOrNot(string? url, string allowed, bool expected) =>
        Assert.Equal(expected, DeploymentSettings.HostIsAllowed(url, allowed));

    [Theory]
    [InlineData("https://ent.exemple.fr", true)]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("https://ent.exemple.fr/preau", false)]
    [InlineData("ent.exemple.fr", false)]
    [InlineData("ftp://ent.exemple.fr", false)]
    public void IsPublicBaseUrl_Value_AbsoluteHttpWithoutPath(string url, bool expected) =>
        Assert.Equal(expected, DeploymentSettings.IsPublicBaseUrl(url));
}
