namespace Shoal.Media.Hls;

/// <summary>An EXT-X-MAP tag: the media initialisation section (fMP4 init segment) for the segments that follow it (RFC 8216 §4.3.2.5).</summary>
/// <param name="Attributes">The tag's attributes as written (URI, optional BYTERANGE, anything else).</param>
public sealed record HlsMap(HlsAttributeList Attributes)
{
    /// <summary>The URI attribute as written (empty when missing, which the parser rejects).</summary>
    public string Uri => Attributes.GetString("URI") ?? "";

    /// <summary>The BYTERANGE attribute, when present and well formed.</summary>
    public HlsByteRange? ByteRange =>
        Attributes.GetString("BYTERANGE") is { } text && HlsByteRange.TryParse(text, out var range) ? range : null;

    /// <summary>A map for <paramref name="uri"/> with an optional byte range.</summary>
    public static HlsMap Create(string uri, HlsByteRange? byteRange = null)
    {
        var attributes = HlsAttributeList.Empty.WithString("URI", uri);
        return new HlsMap(byteRange is { } r ? attributes.WithString("BYTERANGE", r.ToString()) : attributes);
    }
}
