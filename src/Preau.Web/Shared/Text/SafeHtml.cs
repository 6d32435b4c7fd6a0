using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Preau.Web.Shared.Text;

/// <summary>
/// The one way text typed by a user (homework, messages, news) becomes HTML that can go straight into
/// a page. Markdown is rendered; raw HTML typed in it is not interpreted but shown as the text it is,
/// so nothing typed silently disappears. Two locks: Markdig escapes raw HTML, then the sanitiser keeps
/// only formatting tags and http(s)/mailto links, so no script, event handler or javascript: URL
/// survives even if a Markdig extension let one through. Images become links to them: a page never
/// loads a picture from an address a user typed.
/// </summary>
internal static class SafeHtml
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseSoftlineBreakAsHardlineBreak()
        .UseAutoLinks()
        .Build();

    private static readonly string[] s_tags =
        ["p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr"];

    // Sanitize is safe to call from several threads once the sanitiser is configured.
    private static readonly HtmlSanitizer s_sanitizer = CreateSanitizer();

    public static string FromMarkdown(string markdown)
    {
        var document = Markdown.Parse(markdown, s_pipeline);
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage))
        {
            image.IsImage = false;
        }

        return s_sanitizer.Sanitize(document.ToHtml(s_pipeline));
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(s_tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "start"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
        })
        {
            // A tag outside the list loses its markup, never its text.
            KeepChildNodes = true,
        };
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
