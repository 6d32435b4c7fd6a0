using System.ComponentModel.DataAnnotations;
using Preau.Data.Homework;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>What a teacher types for an entry, on the new and the edit page alike.</summary>
internal class EntryFields
{
    public string Type { get; set; } = "homework";

    [Required(ErrorMessage = "Le titre est obligatoire.")]
    [MaxLength(200, ErrorMessage = "Le titre est limité à 200 caractères.")]
    public string Title { get; set; } = "";

    [MaxLength(20_000, ErrorMessage = "Le texte est limité à 20 000 caractères.")]
    public string? Body { get; set; }

    [Required(ErrorMessage = "La date est obligatoire.")]
    public DateOnly? Date { get; set; }

    [Range(1, 600, ErrorMessage = "La durée estimée doit être comprise entre 1 et 600 minutes.")]
    public int? Minutes { get; set; }

    /// <summary>"none", "text", "files" or "both": what pupils hand in on this entry.</summary>
    public string HandIn { get; set; } = "none";

    /// <summary>The hand-in deadline on the entry's date, Paris time.</summary>
    public TimeOnly? HandInTime { get; set; }

    public bool HandInLate { get; set; }

    public HomeworkInput ToInput(Guid subjectId) =>
        new(Type == "lesson" ? HomeworkKind.Lesson : HomeworkKind.Homework, Title, Body, subjectId, Date!.Value, Minutes,
            new HandInInput(ParseHandIn(HandIn), HandInTime ?? DefaultHandInTime, HandInLate));

    /// <summary>Work is collected at the start of the school day unless the teacher says otherwise.</summary>
    public static TimeOnly DefaultHandInTime { get; } = new(8, 0);

    public static HandInMode ParseHandIn(string? value) => value switch
    {
        "text" => HandInMode.Text,
        "files" => HandInMode.Files,
        "both" => HandInMode.TextAndFiles,
        _ => HandInMode.None,
    };

    public static string HandInValue(HandInMode mode) => mode switch
    {
        HandInMode.Text => "text",
        HandInMode.Files => "files",
        HandInMode.TextAndFiles => "both",
        _ => "none",
    };

    /// <summary>Fills the hand-in fields from a stored entry.</summary>
    public void SetHandIn(HandInMode mode, DateTimeOffset? dueAt, bool lateAllowed)
    {
        HandIn = HandInValue(mode);
        HandInTime = dueAt is { } due ? TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(due, SchoolDay.Zone).DateTime) : null;
        HandInLate = lateAllowed;
    }
}
