using System.ComponentModel.DataAnnotations;
using Preau.Web.Shared.Files;

namespace Preau.Web.Features.Messaging;

/// <summary>Section <c>Messaging</c>.</summary>
internal sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>A whole school with its parents stays under this; a forged list beyond it is refused.</summary>
    [Range(1, 100_000)]
    public int MaxRecipients { get; set; } = 5_000;

    [Range(100, 20_000)]
    public int MaxBodyLength { get; set; } = 20_000;

    [Range(1, 100)]
    public int PageSize { get; set; } = 20;

    [Range(0, 20)]
    public int MaxAttachments { get; set; } = 5;

    /// <summary>Attachment size limit and accepted types (section <c>Messaging:Files</c> in appsettings.json).</summary>
    public FileRules Files { get; set; } = new() { Extensions = ".pdf .png .jpg .jpeg .gif .odt .ods .odp .docx .xlsx .pptx" };

    /// <summary>How often the optional script saves the draft being typed.</summary>
    [Range(2, 300)]
    public int AutosaveSeconds { get; set; } = 5;
}
