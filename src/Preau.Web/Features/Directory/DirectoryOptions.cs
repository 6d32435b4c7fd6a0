using System.ComponentModel.DataAnnotations;

namespace Preau.Web.Features.PeopleDirectory;

/// <summary>Section <c>Directory</c>.</summary>
internal sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>
    /// How long what a person is tied to (classes attended or taught, children, school) is kept in
    /// memory. A pupil who changes class sees the new notebook after at most this delay unless the
    /// change calls <see cref="RelationsCache.Invalidate(Guid)"/>; writes that need the truth
    /// (posting homework) re-check the database. 0 turns the cache off.
    /// </summary>
    [Range(0, 3600)]
    public int RelationsCacheSeconds { get; set; } = 300;

    /// <summary>Upper bound of people (and school group lists) kept in memory.</summary>
    [Range(100, 10_000_000)]
    public int CachedPeople { get; set; } = 200_000;
}
