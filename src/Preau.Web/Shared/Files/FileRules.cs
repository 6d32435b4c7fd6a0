namespace Preau.Web.Shared.Files;

/// <summary>
/// What one feature accepts as uploads, bound from its own section (e.g. <c>Homework:Files</c>).
/// Extensions are one space-separated string so that configuration replaces the feature's default
/// list instead of appending to it, as the binder does with arrays.
/// </summary>
internal sealed class FileRules
{
    /// <summary>Largest file accepted, in bytes, counted while the upload is read.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Extensions accepted (".pdf .png ..."): each must also be one the content's first bytes allow.</summary>
    public string Extensions { get; set; } = "";

    /// <summary>Bytes one owner (a pupil, say) may keep under these rules in all; 0 for no quota. The caller
    /// knows what the owner already uses and passes it to <see cref="FileStore.SaveAsync(string, FileRules, Stream, string, long, CancellationToken)"/>.</summary>
    public long QuotaBytes { get; set; }

    public IReadOnlyList<string> ExtensionList => Extensions.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool IsValid => MaxBytes is >= 1024 and <= 512L * 1024 * 1024 && QuotaBytes >= 0
        && ExtensionList.Count > 0 && ExtensionList.All(e => e.StartsWith('.') && FileTypes.IsKnownExtension(e));

    public bool Allows(string extension) => ExtensionList.Contains(extension, StringComparer.OrdinalIgnoreCase);
}
