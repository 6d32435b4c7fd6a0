using Ganss.Xss;
using Markdig;

namespace Preau.Web.Features.Homework;

/// <summary>
/// Markdown to HTML that can go straight into a page. Two locks: Markdig drops raw HTML, then the
/// sanitiser keeps only formatting tags and http(s)/mailto links, so no script, event handler or
/// javascript: URL survives even if a Markdig extension let one through.
/// </summary>
internal static class MarkdownRenderer
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseSoftlineBreakAsHardlineBreak()
        .UseAutoLinks()
        .Build();

    private static readonly string[] s_tags =
        ["p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h1", "h2", "h3", "h4", "hr"];

    public static string ToSafeHtml(string markdown)
    {
        var html = Markdown.ToHtml(markdown, s_pipeline);
        return CreateSanitizer().Sanitize(html);
    }

    // HtmlSanitizer is not documented as thread-safe: one per call; rendering happens only when a
    // class-week is loaded into the cache, not on every request.
    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(s_tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
        });
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        return sanitizer;
    }
}
