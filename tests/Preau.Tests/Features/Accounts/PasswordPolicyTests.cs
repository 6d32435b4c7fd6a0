using Preau.Web.Features.Accounts;

namespace Preau.Tests.Features.Accounts;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("court", "au moins 10 caractères")]
    [InlineData("pupil.a1.b", "votre identifiant")]
    [InlineData("azertyuiop", "trop courant")]
    [InlineData("MotDePasse123", "trop courant")]
    [InlineData("", "Choisissez un mot de passe")]
    public void Check_BadPassword_ExplainsInFrench(string password, string expected)
    {
        var errors = PasswordPolicy.Check("pupil.a1.b", password);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_LongUncommonPassword_Accepted()
    {
        Assert.Empty(PasswordPolicy.Check("pupil.a1", "cheval agrafe batterie"));
    }

    [Fact]
    public void Check_TooLong_Refused()
    {
        Assert.NotEmpty(PasswordPolicy.Check("pupil.a1", new string('x', PasswordPolicy.MaxLength + 1)));
    }
}
