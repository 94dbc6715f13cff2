namespace Shoal.Media.Hls;

/// <summary>
/// An HLS master (multivariant) playlist (RFC 8216 §4.3.4): the variants of an ABR ladder and their
/// alternative renditions. Tags the model does not name ride on the entry they precede or stay in
/// <see cref="HeaderTags"/> / <see cref="TrailingTags"/>.
/// </summary>
public sealed record HlsMasterPlaylist : HlsPlaylist
{
    /// <summary>Tags before the first rendition or variant that the model does not name (EXT-X-INDEPENDENT-SEGMENTS, EXT-X-SESSION-DATA...).</summary>
    public IReadOnlyList<HlsTag> HeaderTags { get; init; } = [];

    /// <summary>EXT-X-MEDIA renditions, in order.</summary>
    public IReadOnlyList<HlsRendition> Renditions { get; init; } = [];

    /// <summary>Variant streams, in order.</summary>
    public IReadOnlyList<HlsVariant> Variants { get; init; } = [];

    /// <summary>Tags after the last variant, in order (for example EXT-X-I-FRAME-STREAM-INF).</summary>
    public IReadOnlyList<HlsTag> TrailingTags { get; init; } = [];

    /// <summary>The absolute URL of variant <paramref name="index"/>'s media playlist, or null when it cannot be resolved.</summary>
    public Uri? VariantUrl(int index) => Resolve(Variants[index].Uri);

    /// <summary>A copy whose every URI (variants, renditions, URI attributes of other tags) is replaced by <paramref name="rewrite"/>'s answer.</summary>
    public HlsMasterPlaylist RewriteUris(Func<HlsUriReference, string> rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        var renditions = Renditions.Select(r => r with
        {
            Attributes = r.Uri is { } uri ? r.Attributes.WithString("URI", rewrite(Reference(HlsUriKind.Rendition, uri))) : r.Attributes,
            Tags = RewriteTags(r.Tags, rewrite),
        }).ToArray();
        var variants = Variants.Select(v => v with
        {
            Uri = rewrite(Reference(HlsUriKind.Variant, v.Uri)),
            Tags = RewriteTags(v.Tags, rewrite),
        }).ToArray();
        return this with
        {
            HeaderTags = RewriteTags(HeaderTags, rewrite),
            Renditions = renditions,
            Variants = variants,
            TrailingTags = RewriteTags(TrailingTags, rewrite),
        };
    }
}
