
namespace Preau.Web.Features.Homework.Pages;

/// <summary>One entry as the partial shows it, for the notebook and the dashboard.</summary>
internal sealed record EntryView(HomeworkItem Item, bool? Done, bool CanTick, bool CanDelete, string ReturnUrl);
