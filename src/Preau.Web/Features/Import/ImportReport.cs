using System.Text.Json.Serialization;
using Preau.Web.Features.Seed;

namespace Preau.Web.Features.Import;

/// <summary>The files a school hands in; any may be missing (a CSV alone, or SIECLE without STS-web).</summary>
internal sealed record ImportSources(Stream? Pupils = null, Stream? Guardians = null, Stream? Staff = null, Stream? Csv = null)
{
    public bool IsEmpty => Pupils is null && Guardians is null && Staff is null && Csv is null;
}

/// <summary>What an import did, or would do in a dry run. People are counted once each: created, updated
/// (name, identifiers, groups, guardians), moved (class changed), deactivated (left), or unchanged.</summary>
internal sealed class ImportReport
{
    [JsonPropertyName("created")] public int Created { get; set; }
    [JsonPropertyName("updated")] public int Updated { get; set; }
    [JsonPropertyName("unchanged")] public int Unchanged { get; set; }
    [JsonPropertyName("moved")] public int Moved { get; set; }
    [JsonPropertyName("deactivated")] public int Deactivated { get; set; }
    [JsonPropertyName("groupsCreated")] public int GroupsCreated { get; set; }
    [JsonPropertyName("subjectsCreated")] public int SubjectsCreated { get; set; }
    [JsonPropertyName("assignmentsAdded")] public int AssignmentsAdded { get; set; }
    [JsonPropertyName("assignmentsRemoved")] public int AssignmentsRemoved { get; set; }
    [JsonPropertyName("dryRun")] public bool DryRun { get; set; }

    /// <summary>Why the whole import was refused (nothing written), or null.</summary>
    [JsonPropertyName("refused")] public string? Refused { get; set; }
    [JsonPropertyName("errors")] public List<ImportReportError> Errors { get; } = [];

    /// <summary>New accounts and their one-time codes; never serialized into the report.</summary>
    [JsonIgnore] public List<AccountLine> NewAccounts { get; } = [];

    public static ImportReport RefusedWith(string message, bool dryRun) => new() { Refused = message, DryRun = dryRun };
}

internal sealed record ImportReportError([property: JsonPropertyName("record")] string Record, [property: JsonPropertyName("message")] string Message);
