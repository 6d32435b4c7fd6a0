using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Data.News;
using Preau.Web.Features.PeopleDirectory;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.Timeline;
using Preau.Web.Shared.Text;

namespace Preau.Web.Features.News;

internal sealed record NewsSummary(Guid Id, string Title, string AuthorName, string AudienceLabel, DateTimeOffset VisibleFrom,
    DateTimeOffset? VisibleUntil, bool ReceiptRequired, bool IsRead);

internal sealed record NewsView(Guid Id, string Title, string BodyHtml, string AuthorName, string AudienceLabel, DateTimeOffset VisibleFrom,
    DateTimeOffset? VisibleUntil, bool ReceiptRequired, bool CanSeeReceipts);

internal sealed record ReceiptLine(Guid PersonId, string Name, string Profile, DateTimeOffset? ReadAt);

internal sealed record ReceiptReport(Guid NewsId, string Title, int ReadCount, int Total, IReadOnlyList<ReceiptLine> Items, int Page, bool HasMore);

internal enum NewsStatus
{
    Created,
    Invalid,
    Refused,
}

internal sealed record NewsResult(NewsStatus Status, Guid Id = default, Dictionary<string, string[]>? Errors = null, string? Detail = null);

/// <summary>
/// School and class announcements. Teachers publish to the classes they teach, the staff to any
/// class or profile of their school (the same <see cref="CommunicationRules"/> as messages).
/// Audiences are resolved on read; a read is recorded once per reader, and the author and the
/// school's staff see who has and has not read.
/// </summary>
internal sealed class NewsService(PreauDbContext db, Relations relations, CommunicationDirectory directory, TimelineFeed timeline, TimeProvider clock)
{
    public const int PageSize = 20;

    public async Task<NewsResult> CreateAsync(Guid authorId, string? title, string? body, IReadOnlyList<string>? audience,
        DateTimeOffset? visibleFrom, DateTimeOffset? visibleUntil, bool receiptRequired, CancellationToken ct)
    {
        var author = await directory.LoadAsync(authorId, ct);
        if (author is null || author.SchoolId is null || author.Profile is not (Profile.Teacher or Profile.Staff or Profile.SchoolAdmin))
        {
            return new NewsResult(NewsStatus.Refused, Detail: "Seuls les professeurs et le personnel d'un établissement publient des actualités.");
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > 200)
        {
            errors["title"] = ["Le titre est obligatoire (200 caractères au plus)."];
        }

        if (string.IsNullOrWhiteSpace(body) || body.Length > 20_000)
        {
            errors["body"] = ["Le texte est obligatoire (20 000 caractères au plus)."];
        }

        var now = clock.GetUtcNow();
        var from = visibleFrom ?? now;
        if (visibleUntil is { } until && until <= from)
        {
            errors["visibleUntil"] = ["La fin de publication doit suivre son début."];
        }

        var tokens = new List<AudienceToken>();
        foreach (var text in audience ?? [])
        {
            if (AudienceToken.TryParse(text, out var t) && t.Value.Kind != AudienceKind.Person)
            {
                tokens.Add(t.Value);
            }
            else
            {
                errors["audience"] = ["Un public n'est pas reconnu : choisissez des classes ou des profils."];
            }
        }

        if (tokens.Count == 0 && !errors.ContainsKey("audience"))
        {
            errors["audience"] = ["Choisissez au moins un public."];
        }

        if (errors.Count > 0)
        {
            return new NewsResult(NewsStatus.Invalid, Errors: errors);
        }

        tokens = tokens.Distinct().ToList();
        var (allowed, refused) = await directory.ResolveAsync(author, tokens, ct);
        if (refused.Count > 0)
        {
            return new NewsResult(NewsStatus.Refused, Detail: "Vous ne pouvez pas publier pour certains publics choisis.");
        }

        var item = new NewsItem
        {
            SchoolId = author.SchoolId.Value,
            AuthorId = authorId,
            Title = title!.Trim(),
            BodyHtml = SafeHtml.FromMarkdown(body!),
            AudienceLabel = string.Join(", ", allowed.Select(a => a.Label)) is var label && label.Length > 500 ? label[..500] : label,
            ReceiptRequired = receiptRequired,
            CreatedAt = now,
            VisibleFrom = from,
            VisibleUntil = visibleUntil,
            Audiences = tokens.Select(t => new NewsAudience { Kind = t.Kind, TargetId = t.TargetId, Profile = t.Profile }).ToList(),
        };
        db.News.Add(item);
        timeline.Add(tokens, TimelineKinds.News, $"Actualité : {item.Title}", $"/actualites/{item.Id}", from);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new NewsResult(NewsStatus.Created, item.Id);
    }

    private IQueryable<NewsItem> VisibleTo(ReaderKeys keys, DateTimeOffset now)
    {
        var (groups, childGroups, schools, profile, me) = (keys.Groups, keys.ChildGroups, keys.Schools, keys.Profile, keys.PersonId);
        return db.News.AsNoTracking().Where(n => n.AuthorId == me
            || (n.VisibleFrom <= now && (n.VisibleUntil == null || n.VisibleUntil > now) && n.Audiences.Any(a =>
                (a.Kind == AudienceKind.GroupPupils && groups.Contains(a.TargetId))
                || (a.Kind == AudienceKind.GroupParents && childGroups.Contains(a.TargetId))
                || (a.Kind == AudienceKind.SchoolProfile && a.Profile == profile && schools.Contains(a.TargetId)))));
    }

    public async Task<Paged<NewsSummary>> ListAsync(Guid userId, int page, CancellationToken ct)
    {
        page = Math.Max(1, page);
        var keys = await ReaderKeys.LoadAsync(relations, userId, ct);
        if (keys is null)
        {
            return new Paged<NewsSummary>([], page, PageSize, false);
        }

        var rows = await (from n in VisibleTo(keys, clock.GetUtcNow())
                          join p in db.People on n.AuthorId equals p.Id
                          orderby n.VisibleFrom descending, n.Id descending
                          select new NewsSummary(n.Id, n.Title, p.FirstName + " " + p.LastName, n.AudienceLabel, n.VisibleFrom, n.VisibleUntil,
                              n.ReceiptRequired, db.NewsReceipts.Any(r => r.NewsId == n.Id && r.PersonId == userId)))
            .Skip((page - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        return new Paged<NewsSummary>(rows.Take(PageSize).ToList(), page, PageSize, rows.Count > PageSize);
    }

    /// <summary>Opens a news item the reader may see, and records that they read it.</summary>
    public async Task<NewsView?> GetAsync(Guid userId, Guid newsId, CancellationToken ct)
    {
        var keys = await ReaderKeys.LoadAsync(relations, userId, ct);
        if (keys is null)
        {
            return null;
        }

        var view = await (from n in VisibleTo(keys, clock.GetUtcNow())
                          where n.Id == newsId
                          join p in db.People on n.AuthorId equals p.Id
                          select new { n, Author = p.FirstName + " " + p.LastName }).SingleOrDefaultAsync(ct);
        if (view is null)
        {
            return null;
        }

        if (view.n.AuthorId != userId && !await db.NewsReceipts.AnyAsync(r => r.NewsId == newsId && r.PersonId == userId, ct))
        {
            db.NewsReceipts.Add(new NewsReceipt { NewsId = newsId, PersonId = userId, ReadAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Opened twice at once: the first receipt stands.
            }

            db.ChangeTracker.Clear();
        }

        return new NewsView(view.n.Id, view.n.Title, view.n.BodyHtml, view.Author, view.n.AudienceLabel, view.n.VisibleFrom, view.n.VisibleUntil,
            view.n.ReceiptRequired, MaySeeReceipts(keys, view.n.AuthorId, view.n.SchoolId));
    }

    /// <summary>The author, and the staff and head of the news item's school when they can open the
    /// item themselves (a class announcement they are not addressed to stays the author's).</summary>
    private static bool MaySeeReceipts(ReaderKeys reader, Guid authorId, Guid schoolId) =>
        reader.PersonId == authorId || (reader.Profile == Profile.Staff && reader.Schools.Contains(schoolId));

    /// <summary>Who has and has not read: the author, and the school's staff for an item they can open. The audience is
    /// expanded here (a page view by one person), never at publication.</summary>
    public async Task<ReceiptReport?> ReceiptsAsync(Guid userId, Guid newsId, int page, CancellationToken ct)
    {
        var keys = await ReaderKeys.LoadAsync(relations, userId, ct);
        if (keys is null)
        {
            return null;
        }

        // Only an item the reader can open: unknown and not-yours answer alike (404).
        var item = await VisibleTo(keys, clock.GetUtcNow()).Where(n => n.Id == newsId)
            .Select(n => new { n.Id, n.Title, n.AuthorId, n.SchoolId, n.ReceiptRequired, Audiences = n.Audiences.ToList() }).SingleOrDefaultAsync(ct);
        if (item is null || !MaySeeReceipts(keys, item.AuthorId, item.SchoolId))
        {
            return null;
        }

        var people = new HashSet<Guid>();
        foreach (var a in item.Audiences)
        {
            people.UnionWith(await AudienceMembersAsync(a, ct));
        }

        var ids = people.ToList();
        var receipts = await db.NewsReceipts.AsNoTracking().Where(r => r.NewsId == newsId)
            .ToDictionaryAsync(r => r.PersonId, r => r.ReadAt, ct);
        var names = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.FirstName, p.LastName, p.Profile }).ToListAsync(ct);
        page = Math.Max(1, page);
        const int size = 50;
        // Those who have not read first: they are the ones to chase.
        var lines = names.Select(p => new ReceiptLine(p.Id, p.FirstName + " " + p.LastName, CommunicationDirectory.ProfileLabel(p.Profile),
                receipts.TryGetValue(p.Id, out var at) ? at : null))
            .OrderBy(l => l.ReadAt is not null).ThenBy(l => l.Name, StringComparer.Create(new("fr-FR"), true)).ToList();
        return new ReceiptReport(item.Id, item.Title, lines.Count(l => l.ReadAt is not null), lines.Count,
            lines.Skip((page - 1) * size).Take(size).ToList(), page, page * size < lines.Count);
    }

    private Task<List<Guid>> AudienceMembersAsync(NewsAudience a, CancellationToken ct)
    {
        var pupils = db.GroupMemberships.Where(m => m.GroupId == a.TargetId).Select(m => m.PupilId);
        return a.Kind switch
        {
            AudienceKind.GroupPupils => pupils.ToListAsync(ct),
            AudienceKind.GroupParents => db.GuardianLinks.Where(l => pupils.Contains(l.ChildId)).Select(l => l.ParentId).Distinct().ToListAsync(ct),
            AudienceKind.SchoolProfile when a.Profile == Profile.Parent => db.GuardianLinks
                .Where(l => db.People.Any(c => c.Id == l.ChildId && c.SchoolId == a.TargetId)).Select(l => l.ParentId).Distinct().ToListAsync(ct),
            AudienceKind.SchoolProfile when a.Profile == Profile.Staff => db.People
                .Where(p => p.SchoolId == a.TargetId && (p.Profile == Profile.Staff || p.Profile == Profile.SchoolAdmin)).Select(p => p.Id).ToListAsync(ct),
            AudienceKind.SchoolProfile => db.People.Where(p => p.SchoolId == a.TargetId && p.Profile == a.Profile).Select(p => p.Id).ToListAsync(ct),
            _ => Task.FromResult(new List<Guid>()),
        };
    }
}
