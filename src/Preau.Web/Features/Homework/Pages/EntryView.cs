
namespace Preau.Web.Features.Homework.Pages;

/// <summary>One entry as the partial shows it, for the notebook and the dashboard.</summary>
/// <remarks><see cref="Ticks"/>: for the author, how many pupils of the class ticked it done, out of how many.</remarks>
internal sealed record EntryView(HomeworkItem Item, bool? Done, bool CanTick, bool CanDelete, string ReturnUrl, (int Done, int Pupils)? Ticks = null);
