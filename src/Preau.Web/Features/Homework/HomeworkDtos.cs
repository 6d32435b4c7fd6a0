using Preau.Data.Homework;

namespace Preau.Web.Features.Homework;

internal sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, long Length);

/// <summary>One notebook entry, ready to render: the Markdown is already turned into safe HTML.</summary>
internal sealed record HomeworkItem(
    Guid Id,
    Guid GroupId,
    string GroupName,
    Guid SubjectId,
    string SubjectName,
    HomeworkKind Kind,
    string Title,
    string Body,
    string BodyHtml,
    DateOnly Date,
    int? EstimatedMinutes,
    Guid AuthorId,
    string AuthorName,
    DateTimeOffset CreatedAt,
    IReadOnlyList<AttachmentInfo> Attachments,
    HandInInfo? HandIn = null);

/// <summary>An entry that collects pupils' work: what, until when, and whether late work is taken.</summary>
internal sealed record HandInInfo(HandInMode Mode, DateTimeOffset DueAt, bool LateAllowed);

/// <summary>A class's (or group's) notebook for one week, Monday to Sunday, as cached.</summary>
internal sealed record ClassWeek(Guid GroupId, DateOnly Monday, long Version, IReadOnlyList<HomeworkItem> Items);

/// <summary>What a request may read: groups, and the pupil whose ticks are shown (pupil or parent's child).</summary>
internal sealed record HomeworkScope(Guid PersonId, Data.Directory.Profile Profile, Guid? PupilId, IReadOnlyList<Guid> GroupIds);

/// <summary>A list ready for a page or the API, with the pupil's ticks merged in.</summary>
internal sealed record HomeworkList(DateOnly From, DateOnly To, Guid? PupilId, IReadOnlyList<HomeworkItem> Items, IReadOnlySet<Guid> Done, string ETag);
