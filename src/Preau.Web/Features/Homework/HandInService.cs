using System.Globalization;
using System.IO.Compression;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.Homework;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.Timeline;
using Preau.Web.Shared;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Homework;

/// <summary>Where a pupil's work stands, as pupils, parents and teachers read it.</summary>
internal enum HandInStatus
{
    ToDo,
    HandedIn,
    HandedInLate,
    Returned,
}

internal static class HandInStatuses
{
    public static string Label(HandInStatus status) => status switch
    {
        HandInStatus.HandedIn => "Rendu",
        HandInStatus.HandedInLate => "Rendu en retard",
        HandInStatus.Returned => "Corrigé",
        _ => "À rendre",
    };

    /// <summary>The API's value.</summary>
    public static string Code(HandInStatus status) => status switch
    {
        HandInStatus.HandedIn => "handed-in",
        HandInStatus.HandedInLate => "late",
        HandInStatus.Returned => "returned",
        _ => "to-do",
    };
}

/// <summary>An entry that collects work, with what the hand-in pages show of it.</summary>
internal sealed record HandInEntry(
    Guid Id, Guid GroupId, string GroupName, Guid SubjectId, string SubjectName, string Title, HandInMode Mode, DateTimeOffset DueAt, bool LateAllowed)
{
    public string DueText => FrenchText.Moment(DueAt, "dddd d MMMM 'à' HH'h'mm");
}

/// <summary>Who reads the hand-in of an entry: the pupil themself, a guardian (for <see cref="PupilId"/>),
/// or a teacher of the class in this subject (every pupil, or the one asked for).</summary>
internal sealed record HandInScope(HandInEntry Entry, Profile Profile, Guid? PupilId);

internal sealed record WorkFileInfo(Guid Id, string FileName, string ContentType, long Length);

internal sealed record SubmissionView(
    Guid PupilId, string LastName, string FirstName, HandInStatus Status, string Text, DateTimeOffset? SubmittedAt,
    IReadOnlyList<WorkFileInfo> Files, DateTimeOffset? ReturnedAt, string? Comment, decimal? Mark, int? MarkOutOf, WorkFileInfo? Correction)
{
    public string PupilName => $"{LastName} {FirstName}";

    public string? MarkText => Mark is { } m && MarkOutOf is { } n ? $"{m.ToString("0.##", CultureInfo.GetCultureInfo("fr-FR"))}/{n}" : null;
}

/// <summary>Why a hand-in or a return was refused: the HTTP status, a French title and message, and the form field.</summary>
internal sealed record HandInProblem(int Status, string Title, string Message, string Field = "");

/// <summary>The teacher's return on one pupil's work, as typed.</summary>
internal sealed record ReturnInput(string? Comment, string? Mark, string? MarkOutOf, bool RemoveCorrection);

/// <summary>
/// Hand-in and return of pupils' work on homework entries that ask for it. Who may read is decided once in
/// <see cref="ResolveAsync"/> from the database (membership, guardianship, teaching now), so a page, the API and
/// a download cannot disagree. Deadlines are read on the server's clock. A pupil's files count against
/// <see cref="HomeworkOptions.HandInFiles"/>'s quota in the one file store; corrected files do not.
/// </summary>
internal sealed class HandInService(
    PreauDbContext db,
    FileStore fileStore,
    HomeworkAccess access,
    TimeProvider clock,
    IOptions<HomeworkOptions> options,
    TimelineFeed timeline)
{
    private const string FilesFolder = "rendus";
    private const int MaxText = 20_000;
    private const int MaxComment = 5_000;

    private FileRules Rules => options.Value.HandInFiles;

    /// <summary>The scope of a request on an entry's hand-in, or null (unknown, no hand-in, or not theirs: all 404).</summary>
    public async Task<HandInScope?> ResolveAsync(ClaimsPrincipal user, Guid entryId, Guid? studentId, CancellationToken ct)
    {
        var entry = await db.HomeworkEntries.AsNoTracking()
            .Where(e => e.Id == entryId && e.HandIn != HandInMode.None && e.HandInDueAt != null)
            .Select(e => new HandInEntry(e.Id, e.GroupId, e.Group!.Name, e.SubjectId, e.Subject!.Name, e.Title, e.HandIn, e.HandInDueAt!.Value,
                e.HandInLateAllowed))
            .FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            return null;
        }

        var me = user.GetPersonId();
        switch (user.GetProfile())
        {
            case Profile.Pupil when studentId is null || studentId == me:
                return await InGroupAsync(me, entry.GroupId, ct) ? new HandInScope(entry, Profile.Pupil, me) : null;
            case Profile.Parent:
                // Their children in this class; without studentId, the only one.
                var children = await db.GuardianLinks.AsNoTracking()
                    .Where(l => l.ParentId == me && db.GroupMemberships.Any(m => m.GroupId == entry.GroupId && m.PupilId == l.ChildId))
                    .Select(l => l.ChildId).ToListAsync(ct);
                Guid? child = studentId is { } asked ? children.Contains(asked) ? asked : null : children.Count == 1 ? children[0] : null;
                return child is null ? null : new HandInScope(entry, Profile.Parent, child);
            case Profile.Teacher when await access.TeachesAsync(me, entry.GroupId, entry.SubjectId, ct):
                return studentId is { } pupil && !await InGroupAsync(pupil, entry.GroupId, ct) ? null
                    : new HandInScope(entry, Profile.Teacher, studentId);
            default:
                return null;
        }
    }

    private Task<bool> InGroupAsync(Guid pupilId, Guid groupId, CancellationToken ct) =>
        db.GroupMemberships.AsNoTracking().AnyAsync(m => m.GroupId == groupId && m.PupilId == pupilId, ct);

    /// <summary>Every pupil of the entry's class with their work (one pupil when <paramref name="pupilId"/> is given),
    /// by last name. A class is a few dozen pupils: one page.</summary>
    public async Task<List<SubmissionView>> ViewsAsync(HandInEntry entry, Guid? pupilId, CancellationToken ct)
    {
        var pupils = await db.GroupMemberships.AsNoTracking()
            .Where(m => m.GroupId == entry.GroupId && (pupilId == null || m.PupilId == pupilId))
            .OrderBy(m => m.Pupil!.LastName).ThenBy(m => m.Pupil!.FirstName).ThenBy(m => m.PupilId)
            .Select(m => new { m.PupilId, m.Pupil!.LastName, m.Pupil.FirstName }).ToListAsync(ct);
        var submissions = await db.WorkSubmissions.AsNoTracking()
            .Where(s => s.EntryId == entry.Id && (pupilId == null || s.PupilId == pupilId))
            .Select(s => new
            {
                s.PupilId, s.Text, s.SubmittedAt, s.Late, s.ReturnedAt, s.ReturnComment, s.Mark, s.MarkOutOf,
                Files = s.Files.OrderBy(f => f.FileName).ThenBy(f => f.Id)
                    .Select(f => new { f.IsCorrection, Info = new WorkFileInfo(f.Id, f.FileName, f.ContentType, f.Length) }).ToList(),
            })
            .ToDictionaryAsync(s => s.PupilId, ct);
        return [.. pupils.Select(p => submissions.TryGetValue(p.PupilId, out var s)
            ? new SubmissionView(p.PupilId, p.LastName, p.FirstName,
                s.ReturnedAt is not null ? HandInStatus.Returned : s.Late ? HandInStatus.HandedInLate : HandInStatus.HandedIn,
                s.Text, s.SubmittedAt, [.. s.Files.Where(f => !f.IsCorrection).Select(f => f.Info)], s.ReturnedAt, s.ReturnComment, s.Mark,
                s.MarkOutOf, s.Files.FirstOrDefault(f => f.IsCorrection)?.Info)
            : new SubmissionView(p.PupilId, p.LastName, p.FirstName, HandInStatus.ToDo, "", null, [], null, null, null, null, null))];
    }

    /// <summary>Whether the server's clock still takes work for this entry (late work counts as taken).</summary>
    public bool IsOpen(HandInEntry entry) => entry.LateAllowed || clock.GetUtcNow() <= entry.DueAt;

    /// <summary>
    /// A pupil hands in, or replaces what they handed in: the text, the files ticked for removal, the new files.
    /// Refused after the deadline unless late work is taken, and once the teacher has returned the work.
    /// </summary>
    public async Task<HandInProblem?> HandInAsync(
        HandInEntry entry, Guid pupilId, string? text, IReadOnlyList<IFormFile> uploads, IReadOnlyCollection<Guid> remove, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var late = now > entry.DueAt;
        if (late && !entry.LateAllowed)
        {
            return new(StatusCodes.Status409Conflict, "Date limite dépassée",
                $"La date limite ({entry.DueText}) est passée : ce travail ne peut plus être rendu.");
        }

        var current = await db.WorkSubmissions.AsNoTracking().Where(s => s.EntryId == entry.Id && s.PupilId == pupilId)
            .Select(s => new { s.Id, s.ReturnedAt, Files = s.Files.Where(f => !f.IsCorrection).Select(f => new { f.Id, f.StorageName, f.Length }).ToList() })
            .FirstOrDefaultAsync(ct);
        if (current?.ReturnedAt is not null)
        {
            return AlreadyReturned;
        }

        text ??= "";
        var hasText = !string.IsNullOrWhiteSpace(text);
        if (hasText && !entry.Mode.HasFlag(HandInMode.Text))
        {
            return new(400, "Rendu refusé", "Ce travail se rend en fichiers, pas en texte.", "Text");
        }

        if (text.Length > MaxText)
        {
            return new(400, "Rendu refusé", "Le texte est limité à 20 000 caractères.", "Text");
        }

        if (uploads.Count > 0 && !entry.Mode.HasFlag(HandInMode.Files))
        {
            return new(400, "Rendu refusé", "Ce travail se rend en texte, pas en fichiers.", "Files");
        }

        var removed = current?.Files.Where(f => remove.Contains(f.Id)).ToList() ?? [];
        var kept = (current?.Files.Count ?? 0) - removed.Count;
        if (kept + uploads.Count > options.Value.MaxFilesPerHandIn)
        {
            return new(StatusCodes.Status413PayloadTooLarge, "Trop de fichiers", $"{options.Value.MaxFilesPerHandIn} fichiers au plus par rendu.", "Files");
        }

        if (!hasText && kept + uploads.Count == 0)
        {
            return new(400, "Rendu vide", entry.Mode == HandInMode.Files ? "Joignez au moins un fichier." : "Écrivez votre travail ou joignez un fichier.");
        }

        // The quota counts every file the pupil keeps, in every hand-in, except those this one removes.
        var used = await db.WorkFiles.AsNoTracking().Where(f => !f.IsCorrection && f.Submission!.PupilId == pupilId).SumAsync(f => f.Length, ct)
            - removed.Sum(f => f.Length);
        var saved = new List<StoredFile>();
        try
        {
            foreach (var upload in uploads)
            {
                await using var content = upload.OpenReadStream();
                var result = await fileStore.SaveAsync(FilesFolder, Rules, content, upload.FileName, used, ct);
                if (result.File is not { } file)
                {
                    DeleteFiles(saved.Select(s => s.StorageName));
                    return new(result.StatusCode, "Fichier refusé", $"{FileStore.SafeFileName(upload.FileName)} : {result.Message}", "Files");
                }

                saved.Add(file);
                used += file.Length;
            }

            var problem = await WriteHandInAsync(entry, pupilId, current?.Id, text, late, now, removed.Select(r => r.Id).ToList(), saved, ct);
            if (problem is not null)
            {
                DeleteFiles(saved.Select(s => s.StorageName));
                return problem;
            }
        }
        catch
        {
            // No row points at these files.
            DeleteFiles(saved.Select(s => s.StorageName));
            throw;
        }

        DeleteFiles(removed.Select(r => r.StorageName));
        return null;
    }

    private static HandInProblem AlreadyReturned { get; } = new(StatusCodes.Status409Conflict, "Travail déjà corrigé",
        "Ce travail a déjà été corrigé : il ne peut plus être remplacé.");

    private async Task<HandInProblem?> WriteHandInAsync(
        HandInEntry entry, Guid pupilId, Guid? submissionId, string text, bool late, DateTimeOffset now, List<Guid> removed,
        List<StoredFile> saved, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (submissionId is { } id)
        {
            // Not returned in the meantime: the check is in the WHERE.
            var updated = await db.WorkSubmissions.Where(s => s.Id == id && s.ReturnedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Text, text).SetProperty(x => x.SubmittedAt, now).SetProperty(x => x.Late, late), ct);
            if (updated == 0)
            {
                return AlreadyReturned;
            }

            if (removed.Count > 0)
            {
                await db.WorkFiles.Where(f => f.SubmissionId == id && !f.IsCorrection && removed.Contains(f.Id)).ExecuteDeleteAsync(ct);
            }
        }
        else
        {
            var submission = new WorkSubmission { EntryId = entry.Id, PupilId = pupilId, Text = text, SubmittedAt = now, Late = late };
            submission.SchoolId = await db.Groups.Where(g => g.Id == entry.GroupId).Select(g => g.SchoolId).SingleAsync(ct);
            db.WorkSubmissions.Add(submission);
            submissionId = submission.Id;
        }

        db.WorkFiles.AddRange(saved.Select(f => new WorkFile
        {
            SubmissionId = submissionId.Value, FileName = f.FileName, ContentType = f.ContentType, Length = f.Length, StorageName = f.StorageName,
        }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same pupil's first hand-in from two tabs at once: one row wins.
            db.ChangeTracker.Clear();
            return new(StatusCodes.Status409Conflict, "Envoi simultané", "Un autre envoi de ce travail vient d'arriver : rechargez la page puis recommencez.");
        }

        await transaction.CommitAsync(ct);
        return null;
    }

    /// <summary>Parses a mark typed as "14,5" or "14.5" out of N; errors in French.</summary>
    public static (decimal? Mark, int? OutOf, string? Error) ParseMark(string? mark, string? outOf)
    {
        if (string.IsNullOrWhiteSpace(mark))
        {
            return (null, null, null);
        }

        if (!int.TryParse(string.IsNullOrWhiteSpace(outOf) ? "20" : outOf.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 1000)
        {
            return (null, null, "La note est sur un nombre entier entre 1 et 1000.");
        }

        if (!decimal.TryParse(mark.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m) || m > n
            || decimal.Round(m, 2) != m)
        {
            return (null, null, $"La note doit être un nombre entre 0 et {n} (deux décimales au plus).");
        }

        return (m, n, null);
    }

    /// <summary>A teacher of the class returns one pupil's work: a comment, optionally a mark and a corrected file
    /// (replacing the previous one). May be done again to amend it. The pupil and their guardians hear of it in their timeline.</summary>
    public async Task<HandInProblem?> ReturnAsync(HandInEntry entry, Guid teacherId, Guid pupilId, ReturnInput input, IFormFile? file, CancellationToken ct)
    {
        var comment = input.Comment?.Trim() ?? "";
        if (comment.Length > MaxComment)
        {
            return new(400, "Correction refusée", "Le commentaire est limité à 5 000 caractères.", "Comment");
        }

        var (mark, outOf, markError) = ParseMark(input.Mark, input.MarkOutOf);
        if (markError is not null)
        {
            return new(400, "Correction refusée", markError, "Mark");
        }

        var current = await db.WorkSubmissions.AsNoTracking().Where(s => s.EntryId == entry.Id && s.PupilId == pupilId)
            .Select(s => new { s.Id, Corrections = s.Files.Where(f => f.IsCorrection).Select(f => new { f.Id, f.StorageName }).ToList() })
            .FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return new(409, "Rien à corriger", "Cet élève n'a rien rendu : il n'y a rien à corriger.");
        }

        StoredFile? saved = null;
        if (file is { Length: > 0 })
        {
            await using var content = file.OpenReadStream();
            var result = await fileStore.SaveAsync(FilesFolder, Rules, content, file.FileName, ct);
            if (result.File is null)
            {
                return new(result.StatusCode, "Fichier refusé", $"{FileStore.SafeFileName(file.FileName)} : {result.Message}", "File");
            }

            saved = result.File;
        }

        var replaced = saved is not null || input.RemoveCorrection ? current.Corrections : [];
        var now = clock.GetUtcNow();
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.WorkSubmissions.Where(s => s.Id == current.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.ReturnedAt, now).SetProperty(x => x.ReturnedById, teacherId).SetProperty(x => x.ReturnComment, comment)
                .SetProperty(x => x.Mark, mark).SetProperty(x => x.MarkOutOf, outOf), ct);
            if (replaced.Count > 0)
            {
                var ids = replaced.Select(r => r.Id).ToList();
                await db.WorkFiles.Where(f => f.SubmissionId == current.Id && ids.Contains(f.Id)).ExecuteDeleteAsync(ct);
            }

            if (saved is not null)
            {
                db.WorkFiles.Add(new WorkFile
                {
                    SubmissionId = current.Id, IsCorrection = true, FileName = saved.FileName, ContentType = saved.ContentType,
                    Length = saved.Length, StorageName = saved.StorageName,
                });
            }

            var title = $"Travail corrigé : {entry.Title}";
            timeline.Add([new AudienceToken(AudienceKind.Person, pupilId)], TimelineKinds.Homework, title, $"/devoirs/{entry.Id}/rendu", now);
            var guardians = await db.GuardianLinks.AsNoTracking().Where(l => l.ChildId == pupilId).Select(l => l.ParentId).ToListAsync(ct);
            timeline.Add(guardians.Select(g => new AudienceToken(AudienceKind.Person, g)), TimelineKinds.Homework, title,
                $"/devoirs/{entry.Id}/rendu?eleve={pupilId}", now);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            DeleteFiles(saved is null ? [] : [saved.StorageName]);
            throw;
        }

        DeleteFiles(replaced.Select(r => r.StorageName));
        return null;
    }

    /// <summary>A file of one pupil's hand-in (their work or its correction); the caller has checked the scope.</summary>
    public async Task<(Stream Content, WorkFileInfo Info)?> OpenFileAsync(Guid entryId, Guid pupilId, Guid fileId, CancellationToken ct)
    {
        var row = await db.WorkFiles.AsNoTracking()
            .Where(f => f.Id == fileId && f.Submission!.EntryId == entryId && f.Submission.PupilId == pupilId)
            .Select(f => new { f.StorageName, Info = new WorkFileInfo(f.Id, f.FileName, f.ContentType, f.Length) }).FirstOrDefaultAsync(ct);
        var stream = row is null ? null : fileStore.OpenRead(FilesFolder, row.StorageName);
        return stream is null ? null : (stream, row!.Info);
    }

    /// <summary>The archive's name: the class and the title, safe as a file name.</summary>
    public static string ArchiveName(HandInEntry entry) => FileStore.SafeFileName($"Rendus {entry.GroupName} {Segment(entry.Title)}.zip");

    /// <summary>
    /// Everything the class handed in as one ZIP written straight to <paramref name="output"/>: a folder
    /// "Nom Prénom" per pupil with "texte.txt" and their files. Names are cleaned (no folders, no "..") and made
    /// unique, so nothing in the archive can land outside its folder when extracted.
    /// </summary>
    public async Task WriteArchiveAsync(HandInEntry entry, Stream output, CancellationToken ct)
    {
        var views = (await ViewsAsync(entry, null, ct)).Where(v => v.SubmittedAt is not null).ToList();
        var storage = await db.WorkFiles.AsNoTracking()
            .Where(f => !f.IsCorrection && f.Submission!.EntryId == entry.Id).ToDictionaryAsync(f => f.Id, f => f.StorageName, ct);
        await using var body = new AsyncOnlyWriteStream(output);
        await using (var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, ct))
        {
            var folders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var view in views)
            {
                var folder = Unique(folders, Segment(view.PupilName));
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                if (view.Text.Length > 0)
                {
                    var textEntry = zip.CreateEntry($"{folder}/{Unique(names, "texte.txt")}", CompressionLevel.Fastest);
                    textEntry.LastWriteTime = view.SubmittedAt!.Value;
                    await using (var target = await textEntry.OpenAsync(ct))
                    {
                        await target.WriteAsync(Encoding.UTF8.GetBytes(view.Text), ct);
                    }

                    await body.DrainAsync(ct);
                }

                foreach (var file in view.Files)
                {
                    await using var source = storage.TryGetValue(file.Id, out var name) ? fileStore.OpenRead(FilesFolder, name) : null;
                    if (source is null)
                    {
                        continue;
                    }

                    // Images, PDF and office files are compressed already: storing them saves the server's CPU.
                    var level = file.ContentType.StartsWith("text/", StringComparison.Ordinal) ? CompressionLevel.Fastest : CompressionLevel.NoCompression;
                    var fileEntry = zip.CreateEntry($"{folder}/{Unique(names, Segment(file.FileName))}", level);
                    fileEntry.LastWriteTime = view.SubmittedAt!.Value;
                    await using (var target = await fileEntry.OpenAsync(ct))
                    {
                        await source.CopyToAsync(target, ct);
                    }

                    await body.DrainAsync(ct);
                }
            }
        }

        await body.DrainAsync(ct);
    }

    /// <summary>One path segment: no separators, no leading dots, bounded (as the file store names files).</summary>
    private static string Segment(string name) => FileStore.SafeFileName(name.Replace('/', '-').Replace('\\', '-')).TrimEnd('.', ' ');

    private static string Unique(HashSet<string> taken, string name)
    {
        var candidate = name.Length == 0 ? "fichier" : name;
        var stem = Path.GetFileNameWithoutExtension(candidate);
        var extension = Path.GetExtension(candidate);
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{stem} ({n}){extension}";
        }

        return candidate;
    }

    private void DeleteFiles(IEnumerable<string> storageNames)
    {
        foreach (var name in storageNames)
        {
            fileStore.Delete(FilesFolder, name);
        }
    }
}
