namespace Shoal.Media.Hls;

/// <summary>
/// An HLS media playlist (RFC 8216 §4.3.3): the segment list of one rendition, live (sliding) or VOD.
/// Unknown tags are kept: before the first segment in <see cref="HeaderTags"/>, between segments on the
/// segment they precede, after the last one in <see cref="TrailingTags"/>.
/// </summary>
public sealed record HlsMediaPlaylist : HlsPlaylist
{
    /// <summary>EXT-X-TARGETDURATION in whole seconds.</summary>
    public long TargetDuration { get; init; }

    /// <summary>EXT-X-MEDIA-SEQUENCE: the sequence number of the first segment.</summary>
    public long MediaSequence { get; init; }

    /// <summary>EXT-X-DISCONTINUITY-SEQUENCE: the discontinuity number of the first segment.</summary>
    public long DiscontinuitySequence { get; init; }

    /// <summary>EXT-X-PLAYLIST-TYPE (VOD or EVENT), or null for a live sliding playlist.</summary>
    public string? PlaylistType { get; init; }

    /// <summary>True when EXT-X-ENDLIST is present: no segment will be added.</summary>
    public bool EndList { get; init; }

    /// <summary>Header tags this model does not name (EXT-X-INDEPENDENT-SEGMENTS, EXT-X-START, comments...), in order.</summary>
    public IReadOnlyList<HlsTag> HeaderTags { get; init; } = [];

    /// <summary>The segments in playlist order.</summary>
    public IReadOnlyList<HlsSegment> Segments { get; init; } = [];

    /// <summary>Tags after the last segment, other than EXT-X-ENDLIST, in order.</summary>
    public IReadOnlyList<HlsTag> TrailingTags { get; init; } = [];

    /// <summary>True for a playlist that will not change (ENDLIST or PLAYLIST-TYPE:VOD).</summary>
    public bool IsVod => EndList || PlaylistType == "VOD";

    /// <summary>The sum of the segments' durations in seconds.</summary>
    public double TotalDuration => Segments.Sum(s => s.Duration);

    /// <summary>The media sequence number of the segment at <paramref name="index"/> (RFC 8216 §6.3.2).</summary>
    public long SequenceAt(int index) => MediaSequence + index;

    /// <summary>The discontinuity sequence number of the segment at <paramref name="index"/>.</summary>
    public long DiscontinuitySequenceAt(int index)
    {
        var n = DiscontinuitySequence;
        for (var i = 0; i <= index && i < Segments.Count; i++)
        {
            if (Segments[i].Discontinuity)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The EXT-X-MAP in effect for the segment at <paramref name="index"/> (the last one declared at or before it).</summary>
    public HlsMap? MapAt(int index)
    {
        for (var i = Math.Min(index, Segments.Count - 1); i >= 0; i--)
        {
            if (Segments[i].Map is { } map)
            {
                return map;
            }
        }

        return null;
    }

    /// <summary>
    /// The byte range of the segment at <paramref name="index"/> with its offset filled in (RFC 8216 §4.3.2.2:
    /// without an offset a sub-range starts after the previous sub-range of the same URI); null for a whole resource
    /// or when the offset cannot be determined.
    /// </summary>
    public HlsByteRange? ByteRangeAt(int index)
    {
        if (index < 0 || index >= Segments.Count || Segments[index].ByteRange is not { } range)
        {
            return null;
        }

        if (range.Offset is not null)
        {
            return range;
        }

        if (index == 0 || Segments[index - 1].Uri != Segments[index].Uri || ByteRangeAt(index - 1) is not { Offset: { } previous } prior)
        {
            return null;
        }

        return range with { Offset = previous + prior.Length };
    }

    /// <summary>The absolute URL of the segment at <paramref name="index"/>, or null when it cannot be resolved.</summary>
    public Uri? SegmentUrl(int index) => Resolve(Segments[index].Uri);

    /// <summary>A copy whose every URI (segments, maps, keys, other URI attributes) is replaced by <paramref name="rewrite"/>'s answer.</summary>
    public HlsMediaPlaylist RewriteUris(Func<HlsUriReference, string> rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        var segments = new HlsSegment[Segments.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            var s = Segments[i];
            segments[i] = s with
            {
                Uri = rewrite(Reference(HlsUriKind.Segment, s.Uri)),
                Map = s.Map is { } map ? new HlsMap(map.Attributes.WithString("URI", rewrite(Reference(HlsUriKind.Map, map.Uri)))) : null,
                Tags = RewriteTags(s.Tags, rewrite),
            };
        }

        return this with
        {
            HeaderTags = RewriteTags(HeaderTags, rewrite),
            Segments = segments,
            TrailingTags = RewriteTags(TrailingTags, rewrite),
        };
    }
}
