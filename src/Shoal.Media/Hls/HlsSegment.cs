namespace Shoal.Media.Hls;

/// <summary>One media segment of a media playlist with the tags that apply to it (RFC 8216 §4.3.2).</summary>
public sealed record HlsSegment
{
    /// <summary>The segment URI as written in the playlist (relative or absolute).</summary>
    public required string Uri { get; init; }

    /// <summary>EXTINF duration in seconds.</summary>
    public required double Duration { get; init; }

    /// <summary>EXTINF title (the text after the comma), or null when empty.</summary>
    public string? Title { get; init; }

    /// <summary>EXT-X-BYTERANGE, when the segment is a sub-range of its URI.</summary>
    public HlsByteRange? ByteRange { get; init; }

    /// <summary>True when EXT-X-DISCONTINUITY precedes this segment.</summary>
    public bool Discontinuity { get; init; }

    /// <summary>An EXT-X-MAP declared just before this segment (it applies to later segments too).</summary>
    public HlsMap? Map { get; init; }

    /// <summary>Every other tag or comment between the previous segment and this one, in order (EXT-X-KEY, EXT-X-PROGRAM-DATE-TIME, unknown tags).</summary>
    public IReadOnlyList<HlsTag> Tags { get; init; } = [];
}
