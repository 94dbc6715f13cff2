using System.Net;

namespace Shoal.Node.Fetching;

/// <summary>
/// An origin response whose headers have arrived and whose body is still to be read; the body stream enforces the
/// client's idle time-out. Dispose it to release the connection.
/// </summary>
public sealed class OriginResponse : IDisposable
{
    private readonly HttpResponseMessage _message;

    internal OriginResponse(HttpResponseMessage message, Stream body)
    {
        _message = message;
        Body = body;
    }

    public HttpStatusCode StatusCode => _message.StatusCode;

    public Version HttpVersion => _message.Version;

    public Stream Body { get; }

    /// <summary>Content-Length of this response, when the origin sent one.</summary>
    public long? ContentLength => _message.Content.Headers.ContentLength;

    /// <summary>The full length of the resource, from Content-Range on a 206 or Content-Length on a 200.</summary>
    public long? TotalLength => _message.StatusCode == HttpStatusCode.PartialContent
        ? _message.Content.Headers.ContentRange?.Length
        : _message.Content.Headers.ContentLength;

    /// <summary>The range this body covers when the origin honoured a range request.</summary>
    public ByteRange? ContentRange => _message.Content.Headers.ContentRange is { From: { } from, To: { } to } ? new ByteRange(from, to) : null;

    public string? ContentType => _message.Content.Headers.ContentType?.ToString();

    public void Dispose()
    {
        Body.Dispose();
        _message.Dispose();
    }
}
