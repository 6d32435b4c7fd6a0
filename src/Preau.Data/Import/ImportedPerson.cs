using Preau.Data.Directory;

namespace Preau.Data.Import;

/// <summary>
/// What a school's own exports say about a person, kept apart from <see cref="Person"/> so that the
/// directory stays small: the identifiers a new export is matched on, and whether the person left.
/// </summary>
public sealed class ImportedPerson
{
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    /// <summary>The school whose export brought this person in (parents too, who have no school).</summary>
    public Guid SchoolId { get; set; }

    /// <summary>The export's own identifier, prefixed by its kind: "eleve:1234" (SIECLE ELEVE_ID),
    /// "responsable:5678" (PERSONNE_ID), "sts:42" (STS-web individual), "csv:…".</summary>
    public string? ExternalId { get; set; }

    /// <summary>Identifiant national élève (INE), when the export has one.</summary>
    public string? NationalId { get; set; }

    public DateOnly? BirthDate { get; set; }

    /// <summary>Set when a pupil left the school (DATE_SORTIE, or no longer in the export): the person
    /// and their history stay, their account can no longer sign in.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
}

/// <summary>A new activation code issued by the school for someone who lost theirs: who, when, for whom.</summary>
public sealed class ActivationReset
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid IssuedById { get; set; }
    public Guid SchoolId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>"reset" (one person) or "cards" (a class's login cards printed).</summary>
    public required string Reason { get; set; }
}
