namespace Shoal.Media.Hls;

/// <summary>What a URI in a playlist points at, so a rewriter can treat segments, keys and child playlists differently.</summary>
public enum HlsUriKind
{
    /// <summary>A media segment (the line after EXTINF).</summary>
    Segment,

    /// <summary>An EXT-X-MAP initialisation section.</summary>
    Map,

    /// <summary>An EXT-X-KEY or EXT-X-SESSION-KEY key.</summary>
    Key,

    /// <summary>A variant stream's media playlist (the line after EXT-X-STREAM-INF).</summary>
    Variant,

    /// <summary>An EXT-X-MEDIA rendition's media playlist.</summary>
    Rendition,

    /// <summary>Any other tag's URI attribute (EXT-X-I-FRAME-STREAM-INF, EXT-X-SESSION-DATA, EXT-X-PART, EXT-X-PRELOAD-HINT, EXT-X-RENDITION-REPORT).</summary>
    Other,
}
