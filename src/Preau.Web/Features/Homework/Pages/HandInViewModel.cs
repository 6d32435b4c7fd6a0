namespace Preau.Web.Features.Homework.Pages;

/// <summary>What <c>_HandInView</c> shows; <see cref="Editable"/> when the pupil's own form lists the work instead.</summary>
internal sealed record HandInViewModel(HandInEntry Entry, SubmissionView View, bool Editable);
