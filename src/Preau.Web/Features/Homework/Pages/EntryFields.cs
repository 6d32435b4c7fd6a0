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

    public HomeworkInput ToInput(Guid subjectId) =>
        new(Type == "lesson" ? HomeworkKind.Lesson : HomeworkKind.Homework, Title, Body, subjectId, Date!.Value, Minutes);
}
