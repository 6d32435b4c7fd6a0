using System.Security.Cryptography;
using System.Text;

namespace Preau.Web.Features.Accounts;

/// <summary>
/// One-time activation codes handed out on paper. They carry ~50 bits of randomness, so a fast
/// hash (SHA-256) is enough to keep them unreadable in the database while letting a region
/// provision tens of thousands of accounts in seconds; lockout limits guessing.
/// </summary>
internal static class ActivationCodes
{
    // No 0/O, 1/I/L: codes are read off a sheet of paper and typed on a phone.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>A new code such as "K7QM-3XRP-WD9A".</summary>
    public static string Generate()
    {
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return $"{chars[..4]}-{chars[4..8]}-{chars[8..]}";
    }

    /// <summary>Hex SHA-256 of the code, ignoring case, spaces and dashes as people type them.</summary>
    public static string Hash(string code)
    {
        var normalized = new string(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}
