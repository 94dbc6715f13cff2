namespace Shoal.Media.Hls;

/// <summary>A parsed HLS playlist: either a <see cref="HlsMediaPlaylist"/> or a <see cref="HlsMasterPlaylist"/>.</summary>
public abstract record HlsPlaylist
{
    /// <summary>Tags whose URI attribute a rewriter must reach, with the kind reported for them.</summary>
    private static readonly Dictionary<string, HlsUriKind> UriAttributeTags = new(StringComparer.Ordinal)
    {
        ["EXT-X-KEY"] = HlsUriKind.Key,
        ["EXT-X-SESSION-KEY"] = HlsUriKind.Key,
        ["EXT-X-I-FRAME-STREAM-INF"] = HlsUriKind.Other,
        ["EXT-X-SESSION-DATA"] = HlsUriKind.Other,
        ["EXT-X-PART"] = HlsUriKind.Other,
        ["EXT-X-PRELOAD-HINT"] = HlsUriKind.Other,
        ["EXT-X-RENDITION-REPORT"] = HlsUriKind.Other,
    };

    private protected HlsPlaylist()
    {
    }

    /// <summary>The playlist's own URL, against which relative URIs resolve; null when unknown.</summary>
    public Uri? Url { get; init; }

    /// <summary>EXT-X-VERSION, or null when absent (version 1).</summary>
    public int? Version { get; init; }

    /// <summary>Resolves a URI as written in this playlist (RFC 8216 §4.1: relative to the playlist's URL).</summary>
    public Uri? Resolve(string uri)
    {
        if (Url is not null)
        {
            return System.Uri.TryCreate(Url, uri, out var resolved) ? resolved : null;
        }

        return System.Uri.TryCreate(uri, UriKind.Absolute, out var absolute) ? absolute : null;
    }

    /// <summary>The reference a rewriter receives for <paramref name="uri"/>.</summary>
    protected HlsUriReference Reference(HlsUriKind kind, string uri) => new(kind, uri, Resolve(uri));

    /// <summary>Rewrites the URI attribute of a tag that carries one; any other tag comes back unchanged.</summary>
    protected HlsTag RewriteTag(HlsTag tag, Func<HlsUriReference, string> rewrite)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(rewrite);
        if (tag.Value is null || !UriAttributeTags.TryGetValue(tag.Name, out var kind)
            || !HlsAttributeList.TryParse(tag.Value, out var attributes, out _)
            || attributes.GetString("URI") is not { } uri)
        {
            return tag;
        }

        return tag with { Value = attributes.WithString("URI", rewrite(Reference(kind, uri))).ToString() };
    }

    /// <summary>Rewrites every tag of a list (see <see cref="RewriteTag"/>).</summary>
    protected IReadOnlyList<HlsTag> RewriteTags(IReadOnlyList<HlsTag> tags, Func<HlsUriReference, string> rewrite)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var result = new HlsTag[tags.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = RewriteTag(tags[i], rewrite);
        }

        return result;
    }
}
