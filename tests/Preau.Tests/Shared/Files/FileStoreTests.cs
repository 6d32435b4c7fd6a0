using Microsoft.Extensions.Options;
using Preau.Web.Infrastructure;
using Preau.Web.Shared.Files;

namespace Preau.Tests.Files;

public sealed class FileStoreTests : IDisposable
{
    private static readonly byte[] s_pdf = "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"u8.ToArray();

    private readonly string _root = Directory.CreateTempSubdirectory("preau-files-").FullName;

    private static FileRules Rules(string extensions = ".pdf .png .docx .txt", long maxBytes = 4096) =>
        new() { Extensions = extensions, MaxBytes = maxBytes };

    private FileStore Store() => new(Options.Create(new StorageOptions { DataDirectory = _root }));

    private string[] StoredFiles() =>
        Directory.Exists(Path.Combine(_root, "box")) ? Directory.GetFiles(Path.Combine(_root, "box")) : [];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task SaveAsync_PdfNamedPdf_StoredUnderRandomNameWithTypeFromContent()
    {
        var result = await Store().SaveAsync("box", Rules(), new MemoryStream(s_pdf), "../../Fiche été.pdf", CancellationToken.None);

        var file = Assert.IsType<StoredFile>(result.File);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal("Fiche été.pdf", file.FileName);
        Assert.Equal(s_pdf.Length, file.Length);
        Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(Assert.Single(StoredFiles())));
        Assert.Equal(s_pdf, File.ReadAllBytes(Path.Combine(_root, "box", file.StorageName)));
    }

    [Theory]
    [InlineData("%PDF-1.4 a pdf", "devoir.exe", "TypeMismatch")]
    [InlineData("%PDF-1.4 a pdf", "devoir.png", "TypeMismatch")]
    [InlineData("<html><script>alert(1)</script></html>", "page.pdf", "TypeMismatch")]
    [InlineData("MZ\u0090\0\u0003\0\0\0", "devoir.pdf", "UnknownType")]
    [InlineData("PK\u0003\u0004 a zip", "archive.zip", "UnknownType")]
    [InlineData("plain text", "notes.md", "UnknownType")]
    [InlineData("", "vide.pdf", "Empty")]
    public async Task SaveAsync_ContentNotMatchingAnAllowedExtension_RefusedAndNothingLeft(string content, string name, string expected)
    {
        var result = await Store().SaveAsync("box", Rules(), new MemoryStream(System.Text.Encoding.Latin1.GetBytes(content)), name, CancellationToken.None);

        Assert.Null(result.File);
        Assert.Equal(expected, result.Rejection.ToString());
        Assert.Equal(400, result.StatusCode);
        Assert.False(string.IsNullOrEmpty(result.Message));
        Assert.Empty(StoredFiles());
    }

    [Fact]
    public async Task SaveAsync_StreamLongerThanLimit_RefusedWith413WhateverTheStreamAnnounces()
    {
        // A stream that claims a small length but yields more: only the bytes read count.
        var content = new LyingLengthStream([.. s_pdf, .. new byte[8192]], announcedLength: 10);

        var result = await Store().SaveAsync("box", Rules(), content, "gros.pdf", CancellationToken.None);

        Assert.Equal(FileRejection.TooLarge, result.Rejection);
        Assert.Equal(413, result.StatusCode);
        Assert.Contains("taille maximale", result.Message, StringComparison.Ordinal);
        Assert.Empty(StoredFiles());
    }

    [Theory]
    [InlineData("photo.PNG", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "image/png")]
    [InlineData("devoir.docx", new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("notes.txt", new byte[] { 0x43, 0xC3, 0xA9 }, "text/plain; charset=utf-8")]
    public async Task SaveAsync_AllowedTypes_ContentTypeFromBytesAndExtension(string name, byte[] bytes, string expected)
    {
        var result = await Store().SaveAsync("box", Rules(), new MemoryStream(bytes), name, CancellationToken.None);

        Assert.Equal(expected, result.File?.ContentType);
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("")]
    public void OpenRead_NameNotOneOfOurs_ReturnsNullWithoutTouchingTheDisk(string name)
    {
        Assert.Null(Store().OpenRead("box", name));
    }

    [Theory]
    [InlineData(".pdf .png", true)]
    [InlineData("", false)]
    [InlineData(".pdf .exe", false)]
    [InlineData("pdf", false)]
    public void IsValid_ExtensionsList_OnlyKnownDottedExtensions(string extensions, bool expected)
    {
        Assert.Equal(expected, Rules(extensions).IsValid);
    }

    private sealed class LyingLengthStream(byte[] bytes, long announcedLength) : MemoryStream(bytes)
    {
        public override long Length => announcedLength;
    }
}
