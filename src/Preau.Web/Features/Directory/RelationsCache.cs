using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.PeopleDirectory;

/// <summary>
/// The memory behind <see cref="Relations"/>: one entry per person and one per school (its groups),
/// each for <see cref="DirectoryOptions.RelationsCacheSeconds"/>. Whatever changes memberships
/// (an import, a class change) calls <see cref="Invalidate(Guid)"/> for the people concerned,
/// <see cref="InvalidateSchool"/> for a school's groups, or <see cref="Clear"/> after a bulk change;
/// each reaches every node through <see cref="CacheBus"/>, and a node that cannot hear the others
/// reads the database instead.
/// </summary>
internal sealed class RelationsCache(IOptions<DirectoryOptions> options, CacheBus bus) : ISharedCache, IDisposable
{
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = options.Value.CachedPeople });
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.RelationsCacheSeconds);

    public bool TryGet(Guid personId, out PersonRelations? relations)
    {
        relations = null;
        return bus.CachesUsable && _entries.TryGetValue(PersonKey(personId), out relations);
    }

    public void Set(PersonRelations relations) => Put(PersonKey(relations.Id), relations);

    public bool TryGetSchoolGroups(Guid schoolId, out IReadOnlySet<Guid>? groups)
    {
        groups = null;
        return bus.CachesUsable && _entries.TryGetValue(SchoolKey(schoolId), out groups);
    }

    public void SetSchoolGroups(Guid schoolId, IReadOnlySet<Guid> groups) => Put(SchoolKey(schoolId), groups);

    /// <summary>This person's ties changed (class, children, assignments): the next read reloads them.</summary>
    public void Invalidate(Guid personId) => bus.Publish(Kind, "p" + personId);

    /// <summary>A group was added to or removed from this school.</summary>
    public void InvalidateSchool(Guid schoolId) => bus.Publish(Kind, "s" + schoolId);

    /// <summary>After a bulk change (an import, a new school year): everything reloads.</summary>
    public void Clear() => bus.Publish(Kind, null);

    public string Kind => "relations";

    public void Forget(string? key)
    {
        if (key is null || key.Length < 2 || !Guid.TryParse(key.AsSpan(1), out var id))
        {
            _entries.Clear();
        }
        else
        {
            _entries.Remove(key[0] == 's' ? SchoolKey(id) : PersonKey(id));
        }
    }

    private void Put(object key, object value)
    {
        if (_ttl > TimeSpan.Zero && bus.CachesUsable)
        {
            _entries.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _ttl, Size = 1 });
        }
    }

    private static (char, Guid) PersonKey(Guid id) => ('p', id);

    private static (char, Guid) SchoolKey(Guid id) => ('s', id);

    public void Dispose() => _entries.Dispose();
}
