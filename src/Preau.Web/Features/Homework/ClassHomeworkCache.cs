using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Homework;
using Preau.Web.Infrastructure;
using Preau.Web.Shared.Text;

namespace Preau.Web.Features.Homework;

/// <summary>
/// The notebook of one class for one week, shared by every pupil, parent and teacher who reads it.
/// At 9:00 a whole class asks for the same list: the first request loads it (one query, Markdown
/// rendered once), the others are served from memory. Every write to a group bumps that group's
/// version, so the next read misses and reloads; nothing is ever served stale on this node.
/// Meant to be callable without a request scope (e.g. by an "essential mode" gate).
/// On several nodes the bump goes through <see cref="CacheBus"/>, so every node's next read misses;
/// while a node cannot hear the others it reads the database on every request.
/// </summary>
internal sealed class ClassHomeworkCache(IServiceScopeFactory scopes, IOptions<HomeworkOptions> options, CacheBus bus) : ISharedCache, IDisposable
{
    private readonly CacheVersions _versions = new();
    private readonly ConcurrentDictionary<(Guid, DateOnly, long), Lazy<Task<ClassWeek>>> _loading = new();
    private readonly MemoryCache _weeks = new(new MemoryCacheOptions { SizeLimit = options.Value.CachedClassWeeks });

    /// <summary>Changes on every start: versions restart at 0, so ETags must not match across restarts.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Count of loads from the database, for tests and diagnostics.</summary>
    public long Loads => Interlocked.Read(ref _loads);

    private long _loads;

    /// <summary>A group's version on this node.</summary>
    public long VersionOf(Guid groupId) => _versions.Of(groupId);

    /// <summary>False while another node could change a notebook without this one hearing of it.</summary>
    public bool Usable => bus.CachesUsable;

    /// <summary>Call after every write that touches a group's notebook (entry, attachment): on every node.</summary>
    public void Invalidate(Guid groupId) => bus.Publish(Kind, groupId.ToString());

    public string Kind => "homework";

    public void Forget(string? key) => _versions.Forget(key);

    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The week (Monday to Sunday) that contains <paramref name="day"/>.</summary>
    public async ValueTask<ClassWeek> GetWeekAsync(Guid groupId, DateOnly day, CancellationToken ct = default)
    {
        var key = (groupId, MondayOf(day), VersionOf(groupId));
        if (!bus.CachesUsable)
        {
            return await LoadAsync(groupId, key.Item2, key.Item3, keep: false);
        }

        if (_weeks.TryGetValue(key, out ClassWeek? week) && week is not null)
        {
            return week;
        }

        // One load per key however many pupils miss at once; the load does not take a request's
        // cancellation, since other requests wait for it.
        var load = _loading.GetOrAdd(key, k => new Lazy<Task<ClassWeek>>(() => LoadAsync(k.Item1, k.Item2, k.Item3, keep: true)));
        try
        {
            week = await load.Value.WaitAsync(ct);
        }
        finally
        {
            _loading.TryRemove(new KeyValuePair<(Guid, DateOnly, long), Lazy<Task<ClassWeek>>>(key, load));
        }

        return week;
    }

    private async Task<ClassWeek> LoadAsync(Guid groupId, DateOnly monday, long version, bool keep)
    {
        Interlocked.Increment(ref _loads);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var sunday = monday.AddDays(6);
        var rows = await db.HomeworkEntries.AsNoTracking()
            .Where(e => e.GroupId == groupId && e.Date >= monday && e.Date <= sunday)
            .OrderBy(e => e.Date).ThenBy(e => e.Subject!.Name).ThenBy(e => e.Id)
            .Select(e => new
            {
                e.Id, e.GroupId, GroupName = e.Group!.Name, e.SubjectId, SubjectName = e.Subject!.Name, e.Kind, e.Title, e.Body,
                e.Date, e.EstimatedMinutes, e.AuthorId, AuthorFirst = e.Author!.FirstName, AuthorLast = e.Author.LastName, e.CreatedAt,
                e.HandIn, e.HandInDueAt, e.HandInLateAllowed,
                Attachments = e.Attachments.OrderBy(a => a.Id).Select(a => new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Length)).ToList(),
            })
            .ToListAsync();
        var items = rows.Select(r => new HomeworkItem(r.Id, r.GroupId, r.GroupName, r.SubjectId, r.SubjectName, r.Kind, r.Title, r.Body,
            SafeHtml.FromMarkdown(r.Body), r.Date, r.EstimatedMinutes, r.AuthorId, $"{r.AuthorFirst} {r.AuthorLast}", r.CreatedAt,
            r.Attachments, r.HandInDueAt is { } due && r.HandIn != HandInMode.None ? new HandInInfo(r.HandIn, due, r.HandInLateAllowed) : null)).ToList();
        var week = new ClassWeek(groupId, monday, version, items);
        if (!keep)
        {
            return week;
        }

        // Old versions are never read again; they age out rather than being hunted down.
        _weeks.Set((groupId, monday, version), week, new MemoryCacheEntryOptions
        {
            Size = 1,
            SlidingExpiration = TimeSpan.FromMinutes(30),
        });
        return week;
    }

    public void Dispose() => _weeks.Dispose();
}

/// <summary>
/// A pupil's ticks, kept apart from the shared class list and merged when a list is built. They
/// change only through the tick endpoints, whose per-pupil version bump reaches every node
/// (<see cref="CacheBus"/>); a reload of the page therefore costs no query at all. An entry moved
/// to another week bumps a global generation (rare) so that no tick is looked for in the wrong week.
/// </summary>
internal sealed class PupilTicksCache(IServiceScopeFactory scopes, IOptions<HomeworkOptions> options, CacheBus bus) : ISharedCache, IDisposable
{
    private readonly CacheVersions _versions = new();
    private readonly MemoryCache _ticks = new(new MemoryCacheOptions { SizeLimit = options.Value.CachedClassWeeks * 10L });
    public string VersionTag(Guid pupilId) => _versions.Of(pupilId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Invalidate(Guid pupilId) => bus.Publish(Kind, pupilId.ToString());

    public void InvalidateAll() => bus.Publish(Kind, null);

    public string Kind => "ticks";

    public void Forget(string? key) => _versions.Forget(key);

    public async ValueTask<IReadOnlySet<Guid>> GetWeekAsync(Guid pupilId, DateOnly day, CancellationToken ct)
    {
        var monday = ClassHomeworkCache.MondayOf(day);
        var key = (pupilId, monday, VersionTag(pupilId));
        var usable = bus.CachesUsable;
        if (usable && _ticks.TryGetValue(key, out IReadOnlySet<Guid>? hit) && hit is not null)
        {
            return hit;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var sunday = monday.AddDays(6);
        var ids = await db.HomeworkDone.AsNoTracking()
            .Where(d => d.PupilId == pupilId && d.Entry!.Date >= monday && d.Entry.Date <= sunday)
            .Select(d => d.EntryId).ToListAsync(ct);
        IReadOnlySet<Guid> set = ids.ToHashSet();
        if (!usable)
        {
            return set;
        }

        _ticks.Set(key, set, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return set;
    }

    public void Dispose() => _ticks.Dispose();
}
