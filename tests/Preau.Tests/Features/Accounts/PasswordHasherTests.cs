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

    // Produced by the reference implementation (Debian package argon2):
    //   echo -n password | argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -l 32 -e
    //   echo -n Cahier-de-textes-2026 | argon2 preausaltpreausa -id -t 2 -k 19456 -p 1 -l 32 -e
    // If NSec read the memory cost in bytes or MiB instead of KiB, these would not verify.
    [Theory]
    [InlineData("password", "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("Cahier-de-textes-2026", "$argon2id$v=19$m=19456,t=2,p=1$cHJlYXVzYWx0cHJlYXVzYQ$jG93aKo7KkdPM7z7f7I17lo1yviiAnwU0mvhxQGLaoo")]
    public void Verify_ReferenceCliVector_Succeeds(string password, string phc)
    {
        Assert.Equal(PasswordCheck.Success, PasswordHasher.Verify(phc, password));
        Assert.Equal(PasswordCheck.Failed, PasswordHasher.Verify(phc, password + "x"));
    }

    [Fact]
    public void Verify_ReferenceVectorWithOtherMemoryClaim_Fails()
    {
        // Same hash, PHC string lying about m: proves the parameter really feeds the derivation.
        const string Lying = "$argon2id$v=19$m=19455,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE";

        Assert.Equal(PasswordCheck.Failed, PasswordHasher.Verify(Lying, "password"));
    }

    [Fact]
    public void Verify_WeakerArgon2Parameters_AsksForRehash()
    {
        var weak = PasswordHasher.Hash("Cahier-de-textes-2026", memoryKib: 8 * 1024, passes: 1);

        Assert.Equal(PasswordCheck.SuccessRehashNeeded, PasswordHasher.Verify(weak, "Cahier-de-textes-2026"));
        Assert.Equal(PasswordCheck.Failed, PasswordHasher.Verify(weak, "autre-chose-2026"));
    }

    [Fact]
    public void Verify_IdentityV3Hash_SucceedsAndAsksForRehash()
    {
        var v3 = new Microsoft.AspNetCore.Identity.PasswordHasher<object>().HashPassword(new object(), "Cahier-de-textes-2026");

        Assert.Equal(PasswordCheck.SuccessRehashNeeded, PasswordHasher.Verify(v3, "Cahier-de-textes-2026"));
        Assert.Equal(PasswordCheck.Failed, PasswordHasher.Verify(v3, "autre-chose-2026"));
    }

    [Theory]
    [InlineData("$2a$")]
    [InlineData("$2b$")]
    [InlineData("$2y$")]
    public void Verify_BcryptHash_SucceedsAndAsksForRehash(string prefix)
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("Cahier-de-textes-2026", workFactor: 4);
        hash = prefix + hash[4..];

        Assert.Equal(PasswordCheck.SuccessRehashNeeded, PasswordHasher.Verify(hash, "Cahier-de-textes-2026"));
        Assert.Equal(PasswordCheck.Failed, PasswordHasher.Verify(hash, "autre-chose-2026"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$pas-du-base64!$xx")]
    [InlineData("$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE")]
    [InlineData("$2b$04$tropcourt")]
    [InlineData("AQAAAAEAACcQ")]
    [InlineData("n'importe quoi")]
    public void Verify_MalformedStoredHash_FailsWithoutThrowing(string? stored)
    {
        Assert.Equal(PasswordCheck.Failed, PasswordHasher.Verify(stored, "password"));
    }
}
