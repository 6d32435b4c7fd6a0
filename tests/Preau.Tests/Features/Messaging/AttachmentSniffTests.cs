using Preau.Web.Features.Messaging;

namespace Preau.Tests.Features.Messaging;

public sealed class AttachmentSniffTests
{
    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "x.exe", "application/pdf")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "photo.jpg", "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "photo", "image/jpeg")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "devoir.odt", "application/vnd.oasis.opendocument.text")]
    public void Sniff_KnownMagicBytes_TypeFromContent(byte[] header, string name, string expected)
    {
        Assert.Equal(expected, AttachmentStore.Sniff(header, name));
    }

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }, "devoir.pdf")]          // a Windows executable named .pdf
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C }, "page.pdf")]      // HTML
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "archive.zip")]        // a bare ZIP
    [InlineData(new byte[] { }, "vide.pdf")]
    public void Sniff_UnknownOrDisguised_Refused(byte[] header, string name)
    {
        Assert.Null(AttachmentStore.Sniff(header, name));
    }
}
