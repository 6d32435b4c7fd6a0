using Preau.Web.Shared.Text;

namespace Preau.Tests.Text;

public sealed class SafeHtmlTests
{
    [Fact]
    public void FromMarkdown_Formatting_Rendered()
    {
        var html = SafeHtml.FromMarkdown("Lire **les deux** chapitres\n- un\n- deux\n\nhttps://example.org");

        Assert.Contains("<strong>les deux</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li>un</li>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("Un <b>mot</b> en gras", "Un &lt;b&gt;mot&lt;/b&gt; en gras")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    public void FromMarkdown_RawHtmlTyped_ShownEscapedNotDropped(string typed, string expected)
    {
        var html = SafeHtml.FromMarkdown(typed);

        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FromMarkdown_JavascriptLink_TextKeptLinkRemoved()
    {
        var html = SafeHtml.FromMarkdown("[cliquez ici](javascript:alert(1))");

        Assert.Contains("cliquez ici", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FromMarkdown_Image_BecomesALinkWithItsText()
    {
        var html = SafeHtml.FromMarkdown("![le schéma](https://example.org/schema.png)");

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("le schéma", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/schema.png\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMarkdown_SmallestHeading_TextKept()
    {
        Assert.Contains("Consignes", SafeHtml.FromMarkdown("###### Consignes"), StringComparison.Ordinal);
    }
}
