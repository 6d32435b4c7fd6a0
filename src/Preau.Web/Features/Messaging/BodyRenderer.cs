using Ganss.Xss;
using Markdig;

namespace Preau.Web.Features.Messaging;

/// <summary>Markdown (or plain text, or simple HTML) to safe HTML, once, when a message or a
/// news item is written; readers then get stored HTML without any work per view.</summary>
internal sealed class BodyRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UseSoftlineBreakAsHardlineBreak().UseAutoLinks().Build();

    // HtmlSanitizer is safe to share once configured; default allow-list (no script, no style
    // attributes with expressions, no javascript: URLs).
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("img");
        return sanitizer;
    }

    public string Render(string source) => _sanitizer.Sanitize(Markdown.ToHtml(source, _pipeline));
}
