namespace Preau.Web.Features.Accounts;

/// <summary>
/// What a new password must be. Length beats composition rules (NIST SP 800-63B): at least 10
/// characters, not the login, not one of the passwords every attacker tries first.
/// </summary>
internal static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 200;

    // The top of the leaked-password lists French speakers appear in, padded to 10+ characters
    // the way people pad them. Small on purpose: it catches the obvious, lockout does the rest.
    private static readonly HashSet<string> s_common = new(StringComparer.OrdinalIgnoreCase)
    {
        "0123456789", "1234567890", "12345678910", "123456789a", "azertyuiop", "azertyuiop1", "azerty1234",
        "azerty123456", "qwertyuiop", "qwerty1234", "qwerty123456", "motdepasse", "motdepasse1", "motdepasse123",
        "motdepasse2026", "password12", "password123", "password1234", "passwordpassword", "1q2w3e4r5t",
        "aaaaaaaaaa", "bonjour1234", "bonjour2026", "soleil1234", "doudou1234", "loulou1234", "chouchou12",
        "iloveyou12", "jetaime1234", "football12", "marseille13", "0000000000", "1111111111", "1234512345",
        "preau12345", "preau2026!", "college2026", "ecole12345", "abcdefghij", "abcd123456", "123456789abc",
    };

    /// <summary>French messages for what is wrong with <paramref name="password"/>; empty when it is fine.</summary>
    public static IReadOnlyList<string> Check(string login, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return ["Choisissez un mot de passe."];
        }

        var errors = new List<string>();
        if (password.Length < MinLength)
        {
            errors.Add($"Le mot de passe doit contenir au moins {MinLength} caractères.");
        }

        if (password.Length > MaxLength)
        {
            errors.Add($"Le mot de passe ne doit pas dépasser {MaxLength} caractères.");
        }

        if (string.Equals(password.Trim(), login.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("Le mot de passe ne doit pas être votre identifiant.");
        }

        if (s_common.Contains(password))
        {
            errors.Add("Ce mot de passe est trop courant : choisissez-en un autre, par exemple trois mots au hasard.");
        }

        return errors;
    }
}
