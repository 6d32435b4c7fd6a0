using System.IO.Hashing;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data.Directory;
using Preau.Data.Homework;
using Preau.Data;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.Timeline;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework;

internal sealed record HomeworkInput(HomeworkKind Kind, string Title, string? Body, Guid SubjectId, DateOnly Date, int? EstimatedMinutes,
    HandInInput? HandIn = null)
{
    /// <summary>The hand-in deadline: the entry's date at the time given, in Europe/Paris.</summary>
    public DateTimeOffset? HandInDueAt => HandIn is { Mode: not HandInMode.None } h ? SchoolDay.Instant(Date, h.Time) : null;
}

/// <summary>What pupils hand in for an entry, and until when (on the entry's date).</summary>
internal sealed record HandInInput(HandInMode Mode, TimeOnly Time, bool LateAllowed);

/// <summary>What an edit does to an entry's files: attachment ids to remove, saved files to add (a replacement is both).</summary>
internal sealed record AttachmentChanges(IReadOnlyCollection<Guid> Remove, IReadOnlyList<StoredFile> Add)
{
    public static AttachmentChanges None { get; } = new([], []);
}

internal enum WriteOutcome
{
    Ok,
    NotFound,
    Forbidden,
    Invalid,
}

/// <summary>Reads through the class cache; writes with ownership in the WHERE, then invalidate.</summary>
internal sealed class HomeworkService(
    PreauDbContext db,
    ClassHomeworkCache classes,
    PupilTicksCache ticks,
    FileStore fileStore,
    HomeworkAccess access,
    TimeProvider clock,
    IOptions<HomeworkOptions> options,
    TimelineFeed timeline)
{
    private const string FilesFolder = "attachments";

    public DateOnly Today => SchoolDay.Today(clock);

    /// <summary>French validation messages keyed by field, empty when the input is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(HomeworkInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Title) || input.Title.Length > 200)
        {
            errors["title"] = ["Le titre est obligatoire (200 caractères au plus)."];
        }

        if (input.Body is { Length: > 20_000 })
        {
            errors["body"] = ["Le texte est limité à 20 000 caractères."];
        }

        if (input.EstimatedMinutes is < 1 or > 600)
        {
            errors["estimatedMinutes"] = ["La durée estimée doit être comprise entre 1 et 600 minutes."];
        }

        if (input.Date == default || input.Date.Year is < 2000 or > 2100)
        {
            errors["dueDate"] = ["La date est obligatoire."];
        }

        if (input.HandIn is { Mode: not HandInMode.None } && input.Kind != HomeworkKind.Homework)
        {
            errors["handIn"] = ["Seul un travail à faire peut demander un rendu."];
        }

        if (input.SubjectId == Guid.Empty)
        {
            errors["subjectId"] = ["La matière est obligatoire."];
        }

        return errors;
    }

    /// <summary>
    /// Builds a list from cached class-weeks and the pupil's cached ticks. The ETag is computed from
    /// versions alone, so a conditional request that matches is answered before anything is built.
    /// </summary>
    public string ETagFor(HomeworkScope scope, DateOnly from, DateOnly to, Guid? groupFilter = null)
    {
        // A node that cannot hear the others' writes cannot vouch that its versions are current:
        // a tag that never matches, so the list is always built from the database.
        var epoch = classes.Usable ? classes.Epoch : Guid.NewGuid().ToString("N");
        var text = new StringBuilder(epoch).Append('|').Append(scope.PersonId).Append('|').Append(scope.PupilId)
            .Append('|').Append(from.DayNumber).Append('|').Append(to.DayNumber).Append('|').Append(groupFilter);
        foreach (var g in scope.GroupIds)
        {
            text.Append('|').Append(g).Append(':').Append(classes.VersionOf(g));
        }

        if (scope.PupilId is { } pupil)
        {
            text.Append("|t").Append(ticks.VersionTag(pupil));
        }

        return $"W/\"{Convert.ToHexStringLower(XxHash3.Hash(Encoding.UTF8.GetBytes(text.ToString())))}\"";
    }

    public async Task<HomeworkList> ListAsync(HomeworkScope scope, DateOnly from, DateOnly to, Guid? groupFilter, CancellationToken ct)
    {
        var etag = ETagFor(scope, from, to, groupFilter);
        var items = new List<HomeworkItem>();
        var done = new HashSet<Guid>();
        for (var monday = ClassHomeworkCache.MondayOf(from); monday <= to; monday = monday.AddDays(7))
        {
            foreach (var group in scope.GroupIds)
            {
                if (groupFilter is { } only && only != group)
                {
                    continue;
                }

                var week = await classes.GetWeekAsync(group, monday, ct);
                items.AddRange(week.Items.Where(i => i.Date >= from && i.Date <= to));
            }

            if (scope.PupilId is { } pupil)
            {
                done.UnionWith(await ticks.GetWeekAsync(pupil, monday, ct));
            }
        }

        items.Sort((a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date)
            : string.CompareOrdinal(a.SubjectName, b.SubjectName) is var s and not 0 ? s : a.Id.CompareTo(b.Id));
        return new HomeworkList(from, to, scope.PupilId, items, done, etag);
    }

    public async Task<(WriteOutcome Outcome, Guid Id, Dictionary<string, string[]>? Errors)> CreateAsync(
        Guid teacherId, Guid groupId, HomeworkInput input, IReadOnlyList<StoredFile> files, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return (WriteOutcome.Invalid, Guid.Empty, errors);
        }

        if (!await access.TeachesAsync(teacherId, groupId, input.SubjectId, ct))
        {
            return (WriteOutcome.Forbidden, Guid.Empty, null);
        }

        var schoolId = await db.Groups.Where(g => g.Id == groupId).Select(g => g.SchoolId).SingleAsync(ct);
        var now = clock.GetUtcNow();
        var entry = new HomeworkEntry
        {
            SchoolId = schoolId,
            GroupId = groupId,
            SubjectId = input.SubjectId,
            AuthorId = teacherId,
            Kind = input.Kind,
            Title = input.Title.Trim(),
            Body = input.Body ?? "",
            Date = input.Date,
            EstimatedMinutes = input.Kind == HomeworkKind.Homework ? input.EstimatedMinutes : null,
            HandIn = input.HandInDueAt is null ? HandInMode.None : input.HandIn!.Mode,
            HandInDueAt = input.HandInDueAt,
            HandInLateAllowed = input.HandInDueAt is not null && input.HandIn!.LateAllowed,
            CreatedAt = now,
            UpdatedAt = now,
        };
        entry.Attachments.AddRange(files.Select(f => new HomeworkAttachment
        {
            FileName = f.FileName, ContentType = f.ContentType, Length = f.Length, StorageName = f.StorageName,
        }));
        db.HomeworkEntries.Add(entry);
        // The class's and its parents' timelines hear of it in the same transaction.
        timeline.Add([new AudienceToken(AudienceKind.GroupPupils, groupId), new AudienceToken(AudienceKind.GroupParents, groupId)],
            TimelineKinds.Homework, $"{(entry.Kind == HomeworkKind.Homework ? "Nouveau devoir" : "Contenu de séance")} : {entry.Title}", "/devoirs", now);
        // Entry, attachment and timeline rows go in one SaveChanges (one transaction); the caller
        // deletes the files if this throws.
        await db.SaveChangesAsync(ct);
        classes.Invalidate(groupId);
        return (WriteOutcome.Ok, entry.Id, null);
    }

    public async Task<(WriteOutcome Outcome, Dictionary<string, string[]>? Errors)> UpdateAsync(
        Guid teacherId, Guid entryId, HomeworkInput input, CancellationToken ct) =>
        await UpdateAsync(teacherId, entryId, input, AttachmentChanges.None, ct);

    /// <summary>
    /// Edits an entry and its attachments in one transaction: the removed rows go, the added files
    /// (already saved by the caller, who deletes them unless the outcome is Ok) get rows; the removed
    /// files leave the disk only once no row points at them.
    /// </summary>
    public async Task<(WriteOutcome Outcome, Dictionary<string, string[]>? Errors)> UpdateAsync(
        Guid teacherId, Guid entryId, HomeworkInput input, AttachmentChanges changes, CancellationToken ct)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return (WriteOutcome.Invalid, errors);
        }

        var current = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == entryId && e.AuthorId == teacherId)
            .Select(e => new { e.GroupId, e.Date }).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return (WriteOutcome.NotFound, null);
        }

        if (!await access.TeachesAsync(teacherId, current.GroupId, input.SubjectId, ct))
        {
            return (WriteOutcome.Forbidden, null);
        }

        var asked = changes.Remove.ToList();
        var removed = asked.Count == 0 ? []
            : await db.HomeworkAttachments.AsNoTracking().Where(a => a.EntryId == entryId && asked.Contains(a.Id))
                .Select(a => new { a.Id, a.StorageName }).ToListAsync(ct);
        if (changes.Add.Count > 0)
        {
            var kept = await db.HomeworkAttachments.CountAsync(a => a.EntryId == entryId, ct) - removed.Count;
            if (kept + changes.Add.Count > options.Value.MaxAttachmentsPerEntry)
            {
                return (WriteOutcome.Invalid, new() { ["files"] = [$"{options.Value.MaxAttachmentsPerEntry} pièces jointes au plus par entrée."] });
            }
        }

        var now = clock.GetUtcNow();
        var minutes = input.Kind == HomeworkKind.Homework ? input.EstimatedMinutes : null;
        var title = input.Title.Trim();
        var body = input.Body ?? "";
        var dueAt = input.HandInDueAt;
        var handIn = dueAt is null ? HandInMode.None : input.HandIn!.Mode;
        var late = dueAt is not null && input.HandIn!.LateAllowed;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var updated = await db.HomeworkEntries.Where(e => e.Id == entryId && e.AuthorId == teacherId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Kind, input.Kind).SetProperty(e => e.Title, title).SetProperty(e => e.Body, body)
                    .SetProperty(e => e.SubjectId, input.SubjectId).SetProperty(e => e.Date, input.Date)
                    .SetProperty(e => e.EstimatedMinutes, minutes).SetProperty(e => e.UpdatedAt, now)
                    .SetProperty(e => e.HandIn, handIn).SetProperty(e => e.HandInDueAt, dueAt).SetProperty(e => e.HandInLateAllowed, late), ct);
            if (updated == 0)
            {
                return (WriteOutcome.NotFound, null);
            }

            if (removed.Count > 0)
            {
                var ids = removed.Select(r => r.Id).ToList();
                await db.HomeworkAttachments.Where(a => a.EntryId == entryId && ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
            }

            db.HomeworkAttachments.AddRange(changes.Add.Select(f => new HomeworkAttachment
            {
                EntryId = entryId, FileName = f.FileName, ContentType = f.ContentType, Length = f.Length, StorageName = f.StorageName,
            }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        classes.Invalidate(current.GroupId);
        foreach (var file in removed)
        {
            DeleteFile(file.StorageName);
        }

        if (ClassHomeworkCache.MondayOf(current.Date) != ClassHomeworkCache.MondayOf(input.Date))
        {
            ticks.InvalidateAll();
        }

        return (WriteOutcome.Ok, null);
    }

    public async Task<WriteOutcome> DeleteAsync(Guid teacherId, Guid entryId, CancellationToken ct)
    {
        var current = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == entryId && e.AuthorId == teacherId)
            .Select(e => new { e.GroupId, Files = e.Attachments.Select(a => a.StorageName).ToList() }).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return WriteOutcome.NotFound;
        }

        // Attachment and tick rows go with the entry (cascade); files after the rows are gone, so no
        // row ever points at a missing file.
        var deleted = await db.HomeworkEntries.Where(e => e.Id == entryId && e.AuthorId == teacherId).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return WriteOutcome.NotFound;
        }

        classes.Invalidate(current.GroupId);
        foreach (var file in current.Files)
        {
            DeleteFile(file);
        }

        return WriteOutcome.Ok;
    }

    /// <summary>Writes an uploaded file under the homework rules; the caller references it in a row or deletes it.</summary>
    public Task<FileSaveResult> SaveFileAsync(Stream content, string fileName, CancellationToken ct) =>
        fileStore.SaveAsync(FilesFolder, options.Value.Files, content, fileName, ct);

    public void DeleteFile(string storageName) => fileStore.Delete(FilesFolder, storageName);

    /// <summary>Files saved for a write that did not happen: no row points at them.</summary>
    public void DeleteFiles(IEnumerable<StoredFile> files)
    {
        foreach (var f in files)
        {
            DeleteFile(f.StorageName);
        }
    }

    public async Task<(WriteOutcome Outcome, Guid Id, FileSaveResult? File)> AddAttachmentAsync(
        Guid teacherId, Guid entryId, Stream content, string fileName, CancellationToken ct)
    {
        var entry = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == entryId && e.AuthorId == teacherId)
            .Select(e => new { e.GroupId, Count = e.Attachments.Count }).FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            return (WriteOutcome.NotFound, Guid.Empty, null);
        }

        if (entry.Count >= options.Value.MaxAttachmentsPerEntry)
        {
            return (WriteOutcome.Invalid, Guid.Empty,
                new FileSaveResult(null, FileRejection.None, $"{options.Value.MaxAttachmentsPerEntry} pièces jointes au plus par entrée."));
        }

        var saved = await SaveFileAsync(content, fileName, ct);
        if (saved.File is not { } file)
        {
            return (WriteOutcome.Invalid, Guid.Empty, saved);
        }

        var attachment = new HomeworkAttachment
        {
            EntryId = entryId, FileName = file.FileName, ContentType = file.ContentType, Length = file.Length, StorageName = file.StorageName,
        };
        try
        {
            db.HomeworkAttachments.Add(attachment);
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            DeleteFile(file.StorageName);
            throw;
        }

        classes.Invalidate(entry.GroupId);
        return (WriteOutcome.Ok, attachment.Id, saved);
    }

    /// <summary>Ticks (or unticks) an entry for a pupil who can see it. Idempotent both ways.</summary>
    public async Task<bool> SetDoneAsync(Guid pupilId, Guid entryId, bool done, CancellationToken ct)
    {
        // A write: membership is checked in the database, not in the read cache.
        var visible = await db.HomeworkEntries.AsNoTracking()
            .AnyAsync(e => e.Id == entryId && db.GroupMemberships.Any(m => m.GroupId == e.GroupId && m.PupilId == pupilId), ct);
        if (!visible)
        {
            return false;
        }

        if (done)
        {
            var exists = await db.HomeworkDone.AnyAsync(d => d.EntryId == entryId && d.PupilId == pupilId, ct);
            if (!exists)
            {
                db.HomeworkDone.Add(new HomeworkDone { EntryId = entryId, PupilId = pupilId, DoneAt = clock.GetUtcNow() });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // A double click raced us to the same row: the tick is there, which is what was asked.
                    db.ChangeTracker.Clear();
                }
            }
        }
        else
        {
            await db.HomeworkDone.Where(d => d.EntryId == entryId && d.PupilId == pupilId).ExecuteDeleteAsync(ct);
        }

        ticks.Invalidate(pupilId);
        return true;
    }

    /// <summary>For an author's entries: how many pupils ticked each done, and how many pupils its class has.</summary>
    public async Task<Dictionary<Guid, (int Done, int Pupils)>> TicksAsync(IReadOnlyCollection<HomeworkItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        var groups = items.Select(i => i.GroupId).Distinct().ToList();
        var done = await db.HomeworkDone.AsNoTracking().Where(d => ids.Contains(d.EntryId))
            .GroupBy(d => d.EntryId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var pupils = await db.GroupMemberships.AsNoTracking().Where(m => groups.Contains(m.GroupId))
            .GroupBy(m => m.GroupId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return items.ToDictionary(i => i.Id, i => (done.GetValueOrDefault(i.Id), pupils.GetValueOrDefault(i.GroupId)));
    }

    /// <summary>One entry from its class-week in the cache, with the pupil's tick when there is a pupil.</summary>
    public async Task<(HomeworkItem Item, bool? Done)?> GetItemAsync(Guid groupId, Guid entryId, Guid? pupilId, CancellationToken ct)
    {
        var date = await db.HomeworkEntries.AsNoTracking().Where(e => e.Id == entryId).Select(e => (DateOnly?)e.Date).FirstOrDefaultAsync(ct);
        if (date is null)
        {
            return null;
        }

        var week = await classes.GetWeekAsync(groupId, date.Value, ct);
        var item = week.Items.FirstOrDefault(i => i.Id == entryId);
        if (item is null)
        {
            return null;
        }

        bool? done = pupilId is { } p ? (await ticks.GetWeekAsync(p, date.Value, ct)).Contains(entryId) : null;
        return (item, done);
    }

    public async Task<(Stream Content, AttachmentInfo Info)?> OpenAttachmentAsync(Guid entryId, Guid attachmentId, CancellationToken ct)
    {
        var row = await db.HomeworkAttachments.AsNoTracking().Where(a => a.Id == attachmentId && a.EntryId == entryId)
            .Select(a => new { a.StorageName, Info = new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.Length) }).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var stream = fileStore.OpenRead(FilesFolder, row.StorageName);
        return stream is null ? null : (stream, row.Info);
    }
}
