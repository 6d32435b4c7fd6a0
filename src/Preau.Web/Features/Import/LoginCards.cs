using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using QRCoder;

namespace Preau.Web.Features.Import;

/// <summary>One printed card: who, their login, their one-time code, and where to use it.</summary>
internal sealed record LoginCard(string Name, string Role, string Login, string Code, DateTimeOffset ExpiresAt);

/// <summary>
/// A printable A4 PDF of login cards, eight a page, to cut out and hand to pupils and guardians.
/// Each card has a QR code that opens the activation page with the login and code filled in; the
/// QR modules are drawn as vector squares, so they stay sharp at any printer resolution.
/// </summary>
internal static class LoginCards
{
    private const double CardWidth = 270, CardHeight = 190, Margin = 20, Gap = 14;
    private static readonly Lock s_fontsLock = new();
    private static bool s_fontsReady;

    public static string ActivationUrl(string baseUrl, string login, string code) =>
        $"{baseUrl.TrimEnd('/')}/activation?login={Uri.EscapeDataString(login)}&code={Uri.EscapeDataString(code)}";

    public static void Write(Stream output, string schoolName, string className, string baseUrl, IReadOnlyList<LoginCard> cards)
    {
        EnsureFonts();
        using var document = new PdfDocument();
        document.Info.Title = $"Cartes de connexion — {schoolName} — {className}";
        var title = new XFont(CardFonts.Family, 8);
        var name = new XFont(CardFonts.Family, 11, XFontStyleEx.Bold);
        var text = new XFont(CardFonts.Family, 9);
        var secret = new XFont(CardFonts.Family, 11, XFontStyleEx.Bold);
        var small = new XFont(CardFonts.Family, 6.5);
        XGraphics? gfx = null;
        for (var i = 0; i < cards.Count; i++)
        {
            if (i % 8 == 0)
            {
                gfx?.Dispose();
                var page = document.AddPage();
                page.Width = XUnit.FromPoint(595);
                page.Height = XUnit.FromPoint(842);
                gfx = XGraphics.FromPdfPage(page);
            }

            var x = Margin + (i % 2 * (CardWidth + Gap));
            var y = Margin + (i % 8 / 2 * (CardHeight + Gap));
            var card = cards[i];
            gfx!.DrawRectangle(new XPen(XColors.Gray, 0.5) { DashStyle = XDashStyle.Dash }, x, y, CardWidth, CardHeight);
            gfx.DrawString($"Préau — {schoolName}", title, XBrushes.DimGray, new XRect(x + 8, y + 6, CardWidth - 16, 10), XStringFormats.TopLeft);
            gfx.DrawString(card.Name, name, XBrushes.Black, new XRect(x + 8, y + 20, CardWidth - 16, 14), XStringFormats.TopLeft);
            gfx.DrawString(card.Role, text, XBrushes.Black, new XRect(x + 8, y + 36, 160, 12), XStringFormats.TopLeft);
            gfx.DrawString("Identifiant :", text, XBrushes.Black, new XRect(x + 8, y + 56, 160, 12), XStringFormats.TopLeft);
            gfx.DrawString(card.Login, secret, XBrushes.Black, new XRect(x + 8, y + 68, 160, 14), XStringFormats.TopLeft);
            gfx.DrawString("Code d'activation :", text, XBrushes.Black, new XRect(x + 8, y + 88, 160, 12), XStringFormats.TopLeft);
            gfx.DrawString(card.Code, secret, XBrushes.Black, new XRect(x + 8, y + 100, 160, 14), XStringFormats.TopLeft);
            DrawQr(gfx, ActivationUrl(baseUrl, card.Login, card.Code), x + CardWidth - 98, y + 36, 90);
            var lines = new[]
            {
                $"1. Flashez le code QR, ou ouvrez {baseUrl.TrimEnd('/')}/activation",
                "    et saisissez votre identifiant et ce code.",
                "2. Choisissez votre mot de passe : le code ne sert qu'une fois.",
                string.Create(CultureInfo.GetCultureInfo("fr-FR"), $"Code valable jusqu'au {card.ExpiresAt:dd/MM/yyyy}. Perdu ou expiré ?"),
                "Demandez un nouveau code au secrétariat ou à la vie scolaire.",
            };
            for (var l = 0; l < lines.Length; l++)
            {
                gfx.DrawString(lines[l], small, XBrushes.Black, new XRect(x + 8, y + 130 + (l * 10), CardWidth - 16, 9), XStringFormats.TopLeft);
            }
        }

        gfx?.Dispose();
        if (cards.Count == 0)
        {
            var page = document.AddPage();
            using var empty = XGraphics.FromPdfPage(page);
            empty.DrawString($"{className} : aucun compte à activer.", text, XBrushes.Black, new XPoint(Margin, Margin + 12));
        }

        document.Save(output, closeStream: false);
    }

    /// <summary>Black modules as rectangles, one per horizontal run so that no hairline shows between them.</summary>
    private static void DrawQr(XGraphics gfx, string content, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var module = size / matrix.Count;
        for (var row = 0; row < matrix.Count; row++)
        {
            var start = -1;
            for (var col = 0; col <= matrix.Count; col++)
            {
                var dark = col < matrix.Count && matrix[row][col];
                if (dark && start < 0)
                {
                    start = col;
                }
                else if (!dark && start >= 0)
                {
                    gfx.DrawRectangle(XBrushes.Black, x + (start * module), y + (row * module), (col - start) * module, module + 0.05);
                    start = -1;
                }
            }
        }
    }

    private static void EnsureFonts()
    {
        lock (s_fontsLock)
        {
            if (!s_fontsReady)
            {
                GlobalFontSettings.FontResolver ??= new CardFonts();
                s_fontsReady = true;
            }
        }
    }

    /// <summary>DejaVu Sans from the system (Debian fonts-dejavu-core): every French letter, œ included.</summary>
    private sealed class CardFonts : IFontResolver
    {
        public const string Family = "DejaVu Sans";
        private static readonly string[] s_folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts"];

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName)
        {
            var path = s_folders.Select(f => Path.Combine(f, faceName + ".ttf")).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("Police DejaVu Sans introuvable : installez le paquet Debian fonts-dejavu-core.");
            return File.ReadAllBytes(path);
        }
    }
}
