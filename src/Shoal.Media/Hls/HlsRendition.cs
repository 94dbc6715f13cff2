namespace Shoal.Media.Hls;

/// <summary>An EXT-X-MEDIA alternative rendition of a master playlist (RFC 8216 §4.3.4.1).</summary>
/// <param name="Attributes">The tag's attributes as written.</param>
public sealed record HlsRendition(HlsAttributeList Attributes)
{
    /// <summary>Tags between the previous entry and this one that the model does not name, in order.</summary>
    public IReadOnlyList<HlsTag> Tags { get; init; } = [];

    /// <summary>TYPE (AUDIO, VIDEO, SUBTITLES, CLOSED-CAPTIONS).</summary>
    public string? Type => Attributes.GetString("TYPE");

    /// <summary>GROUP-ID.</summary>
    public string? GroupId => Attributes.GetString("GROUP-ID");

    /// <summary>NAME.</summary>
    public string? Name => Attributes.GetString("NAME");

    /// <summary>The rendition's media playlist URI, when it has one (absent for muxed renditions).</summary>
    public string? Uri => Attributes.GetString("URI");
}
