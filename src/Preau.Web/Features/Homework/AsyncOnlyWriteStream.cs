namespace Preau.Web.Features.Homework;

/// <summary>
/// A response body for a writer that still writes synchronously now and then: <see cref="System.IO.Compression.ZipArchive"/>
/// closes each entry's deflate stream with a synchronous write, which Kestrel refuses. Writes gather here and go on
/// asynchronously once 64 KB have gathered or at <see cref="DrainAsync"/> (called after each entry), so no thread
/// blocks on the network and memory stays bounded by one entry's synchronous tail.
/// </summary>
internal sealed class AsyncOnlyWriteStream(Stream inner) : Stream
{
    private const int DrainAt = 64 * 1024;
    private readonly MemoryStream _pending = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => _pending.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _pending.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _pending.Write(buffer.Span);
        if (_pending.Length >= DrainAt)
        {
            await DrainAsync(cancellationToken);
        }
    }

    /// <summary>Sends what has gathered.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        if (_pending.Length > 0)
        {
            await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct);
            _pending.SetLength(0);
        }
    }

    // A synchronous flush has nothing to do: the next drain sends everything.
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }
}
