namespace Shoal.Media.Hls;

/// <summary>A variant stream of a master playlist: EXT-X-STREAM-INF and the media playlist URI after it (RFC 8216 §4.3.4.2).</summary>
/// <param name="Attributes">The EXT-X-STREAM-INF attributes as written.</param>
/// <param name="Uri">The variant's media playlist URI as written.</param>
public sealed record HlsVariant(HlsAttributeList Attributes, string Uri)
{
    /// <summary>Tags between the previous entry and this EXT-X-STREAM-INF that the model does not name, in order.</summary>
    public IReadOnlyList<HlsTag> Tags { get; init; } = [];

    /// <summary>BANDWIDTH in bits per second (required by RFC 8216; 0 when missing or malformed).</summary>
    public long Bandwidth => Attributes.GetInteger("BANDWIDTH") ?? 0;

    /// <summary>AVERAGE-BANDWIDTH in bits per second, when given.</summary>
    public long? AverageBandwidth => Attributes.GetInteger("AVERAGE-BANDWIDTH");

    /// <summary>CODECS, when given.</summary>
    public string? Codecs => Attributes.GetString("CODECS");

    /// <summary>RESOLUTION, when given.</summary>
    public (int Width, int Height)? Resolution => Attributes.GetResolution("RESOLUTION");

    /// <summary>FRAME-RATE, when given.</summary>
    public double? FrameRate => Attributes.GetDecimal("FRAME-RATE");

    /// <summary>The AUDIO group id, when given.</summary>
    public string? Audio => Attributes.GetString("AUDIO");
}
