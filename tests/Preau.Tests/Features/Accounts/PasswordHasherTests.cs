using Preau.Web.Features.Accounts;

namespace Preau.Tests.Features.Accounts;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_NewPassword_IsPhcArgon2idAtOwaspParameters()
    {
        var hash = PasswordHasher.Hash("Cahier-de-textes-2026");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        Assert.Equal(PasswordCheck.Success, PasswordHasher.Verify(hash, "Cahier-de-textes-2026"));
        Assert.Equal(PasswordCheck.Failed, PasswordHasher.Verify(hash, "cahier-de-textes-2026"));
    }
}
