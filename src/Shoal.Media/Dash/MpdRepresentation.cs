namespace Shoal.Media.Dash;

/// <summary>A DASH representation (one rendition) with the segment URLs resolved from its template, list or base.</summary>
public sealed record MpdRepresentation
{
    /// <summary>Representation@id.</summary>
    public required string Id { get; init; }

    /// <summary>Representation@bandwidth in bits per second.</summary>
    public long Bandwidth { get; init; }

    /// <summary>MIME type (own or inherited from the adaptation set).</summary>
    public string? MimeType { get; init; }

    /// <summary>Codecs (own or inherited).</summary>
    public string? Codecs { get; init; }

    /// <summary>Width in pixels, when given.</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels, when given.</summary>
    public int? Height { get; init; }

    /// <summary>The representation's resolved base URL (the chain of BaseURL elements against the MPD URL).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The initialisation segment's URL, when it has one.</summary>
    public Uri? InitializationUrl { get; init; }

    /// <summary>The initialisation segment's byte range (<c>first-last</c>), when it is a part of its URL.</summary>
    public string? InitializationRange { get; init; }

    /// <summary>The media segments in order.</summary>
    public IReadOnlyList<MpdSegment> Segments { get; init; } = [];
}
