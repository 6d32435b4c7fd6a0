using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Preau.Web.Features.Homework;

/// <summary>
/// The serialised, compressed JSON of a homework list, keyed by its ETag (which already names the
/// person, the pupil, the dates, every group version and the pupil's tick version, so a key can
/// never serve a stale or someone else's list). Compressing ~20 KB of JSON on every request cost
/// more than everything else the endpoint does; a pupil who reloads, or whose app polls, now costs
/// a dictionary lookup and a copy. Bounded in bytes (<see cref="HomeworkOptions.ResponseCacheBytes"/>).
/// </summary>
internal sealed class ListResponseCache(IOptions<HomeworkOptions> options, IOptions<JsonOptions> json) : IDisposable
{
    private readonly MemoryCache _bodies = new(new MemoryCacheOptions { SizeLimit = options.Value.ResponseCacheBytes });

    public async Task<IResult> GetOrCreateAsync<T>(HttpContext http, string etag, Func<Task<T>> build)
    {
        var encoding = PickEncoding(http.Request.Headers.AcceptEncoding.ToString());
        var key = (etag, encoding);
        if (!_bodies.TryGetValue(key, out byte[]? body) || body is null)
        {
            var dto = await build();
            var raw = JsonSerializer.SerializeToUtf8Bytes(dto, json.Value.SerializerOptions);
            body = encoding switch
            {
                "br" => Compress(raw, s => new BrotliStream(s, CompressionLevel.Optimal)),
                "gzip" => Compress(raw, s => new GZipStream(s, CompressionLevel.Optimal)),
                _ => raw,
            };
            _bodies.Set(key, body, new MemoryCacheEntryOptions { Size = body.Length + 64, SlidingExpiration = TimeSpan.FromMinutes(15) });
        }

        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (encoding != "identity")
        {
            // Already compressed: the response compression middleware leaves it alone.
            http.Response.Headers.ContentEncoding = encoding;
        }

        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    private static string PickEncoding(string accept) =>
        accept.Contains("br", StringComparison.OrdinalIgnoreCase) ? "br"
        : accept.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? "gzip"
        : "identity";

    private static byte[] Compress(byte[] raw, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var compressor = wrap(output))
        {
            compressor.Write(raw);
        }

        return output.ToArray();
    }

    public void Dispose() => _bodies.Dispose();
}
