using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Preau.Web.Features.PeopleDirectory;

/// <summary>
/// The memory behind <see cref="Relations"/>: one entry per person and one per school (its groups),
/// each for <see cref="DirectoryOptions.RelationsCacheSeconds"/>. Whatever changes memberships
/// (an import, a class change) calls <see cref="Invalidate(Guid)"/> for the people concerned,
/// <see cref="InvalidateSchool"/> for a school's groups, or <see cref="Clear"/> after a bulk change.
/// </summary>
internal sealed class RelationsCache(IOptions<DirectoryOptions> options) : IDisposable
{
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = options.Value.CachedPeople });
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.RelationsCacheSeconds);

    public bool TryGet(Guid personId, out PersonRelations? relations) => _entries.TryGetValue(PersonKey(personId), out relations);

    public void Set(PersonRelations relations) => Put(PersonKey(relations.Id), relations);

    public bool TryGetSchoolGroups(Guid schoolId, out IReadOnlySet<Guid>? groups) => _entries.TryGetValue(SchoolKey(schoolId), out groups);

    public void SetSchoolGroups(Guid schoolId, IReadOnlySet<Guid> groups) => Put(SchoolKey(schoolId), groups);

    /// <summary>This person's ties changed (class, children, assignments): the next read reloads them.</summary>
    public void Invalidate(Guid personId) => _entries.Remove(PersonKey(personId));

    /// <summary>A group was added to or removed from this school.</summary>
    public void InvalidateSchool(Guid schoolId) => _entries.Remove(SchoolKey(schoolId));

    /// <summary>After a bulk change (an import, a new school year): everything reloads.</summary>
    public void Clear() => _entries.Clear();

    private void Put(object key, object value)
    {
        if (_ttl > TimeSpan.Zero)
        {
            _entries.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _ttl, Size = 1 });
        }
    }

    private static (char, Guid) PersonKey(Guid id) => ('p', id);

    private static (char, Guid) SchoolKey(Guid id) => ('s', id);

    public void Dispose() => _entries.Dispose();
}
