using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Preau.Web.Features.Accounts;

/// <summary>Outcome of checking a password against a stored hash.</summary>
internal enum PasswordCheck
{
    Failed,
    Success,

    /// <summary>Correct, but the hash is of an older scheme or weaker parameters: store a new one.</summary>
    SuccessRehashNeeded,
}

/// <summary>
/// Argon2id (libsodium, through NSec) at OWASP's parameters, stored as a PHC string so that the
/// parameters can be raised later. Verifies imported ASP.NET Identity V3 (PBKDF2) and bcrypt
/// hashes too, and asks for them to be replaced at the next successful sign-in.
/// </summary>
internal static class PasswordHasher
{
    // OWASP Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1.
    internal const int MemoryKib = 19 * 1024;
    internal const int Passes = 2;
    internal const int Parallelism = 1;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private static readonly Microsoft.AspNetCore.Identity.PasswordHasher<object> s_identityHasher = new();

    public static string Hash(string password) => Hash(password, MemoryKib, Passes);

    internal static string Hash(string password, int memoryKib, int passes)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, memoryKib, passes, HashBytes);
        return $"$argon2id$v=19$m={memoryKib},t={passes},p={Parallelism}${B64(salt)}${B64(hash)}";
    }

    public static PasswordCheck Verify(string? storedHash, string password)
    {
        if (string.IsNullOrEmpty(storedHash))
        {
            return PasswordCheck.Failed;
        }

        if (storedHash.StartsWith("$argon2id$", StringComparison.Ordinal))
        {
            return VerifyArgon2id(storedHash, password);
        }

        if (storedHash.StartsWith("$2", StringComparison.Ordinal))
        {
            return VerifyBcrypt(storedHash, password);
        }

        return VerifyIdentityV3(storedHash, password);
    }

    /// <summary>Burns the same CPU as a real verification, so an unknown login answers in the same time.</summary>
    public static void VerifyDummy(string password) =>
        _ = Derive(password, new byte[SaltBytes], MemoryKib, Passes, HashBytes);

    private static PasswordCheck VerifyArgon2id(string storedHash, string password)
    {
        // $argon2id$v=19$m=19456,t=2,p=1$salt$hash
        var parts = storedHash.Split('$');
        if (parts.Length != 6 || parts[2] != "v=19")
        {
            return PasswordCheck.Failed;
        }

        int memory = 0, passes = 0, parallelism = 0;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1], out var value))
            {
                return PasswordCheck.Failed;
            }

            switch (pair[0])
            {
                case "m": memory = value; break;
                case "t": passes = value; break;
                case "p": parallelism = value; break;
                default: return PasswordCheck.Failed;
            }
        }

        byte[] salt, expected;
        try
        {
            salt = FromB64(parts[4]);
            expected = FromB64(parts[5]);
        }
        catch (FormatException)
        {
            return PasswordCheck.Failed;
        }

        if (parallelism != Parallelism || memory < 8 || passes < 1 || expected.Length is < 16 or > 64 || salt.Length != SaltBytes)
        {
            return PasswordCheck.Failed;
        }

        var actual = Derive(password, salt, memory, passes, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Failed;
        }

        return memory < MemoryKib || passes < Passes ? PasswordCheck.SuccessRehashNeeded : PasswordCheck.Success;
    }

    private static PasswordCheck VerifyBcrypt(string storedHash, string password)
    {
        // $2b$12$ + 22 salt + 31 hash characters; BCrypt.Net throws on anything shorter.
        if (storedHash.Length != 60)
        {
            return PasswordCheck.Failed;
        }

        try
        {
            return BCrypt.Net.BCrypt.Verify(password, storedHash) ? PasswordCheck.SuccessRehashNeeded : PasswordCheck.Failed;
        }
        catch (Exception ex) when (ex is BCrypt.Net.SaltParseException or ArgumentException or FormatException)
        {
            return PasswordCheck.Failed;
        }
    }

    private static PasswordCheck VerifyIdentityV3(string storedHash, string password)
    {
        try
        {
            var result = s_identityHasher.VerifyHashedPassword(new object(), storedHash, password);
            return result == Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed
                ? PasswordCheck.Failed
                : PasswordCheck.SuccessRehashNeeded;
        }
        catch (FormatException)
        {
            return PasswordCheck.Failed;
        }
    }

    private static byte[] Derive(string password, byte[] salt, int memoryKib, int passes, int count)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = Parallelism,
            MemorySize = memoryKib,
            NumberOfPasses = passes,
        });
        return algorithm.DeriveBytes(Encoding.UTF8.GetBytes(password), salt, count);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text)
    {
        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        return Convert.FromBase64String(padded);
    }
}
