using System.Globalization;
using System.Text;

namespace Shoal.Media.Hls;

/// <summary>Writes media and master playlists in RFC 8216 form (LF line ends, known tags first, kept tags where they were).</summary>
public static class HlsPlaylistWriter
{
    /// <summary>Writes either kind of playlist.</summary>
    public static string Write(HlsPlaylist playlist) => playlist switch
    {
        HlsMediaPlaylist media => Write(media),
        HlsMasterPlaylist master => Write(master),
        _ => throw new ArgumentException("Unknown playlist kind.", nameof(playlist)),
    };

    /// <summary>Writes a media playlist.</summary>
    public static string Write(HlsMediaPlaylist playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        var sb = new StringBuilder("#EXTM3U\n");
        if (playlist.Version is { } version)
        {
            Line(sb, $"#EXT-X-VERSION:{version}");
        }

        Line(sb, $"#EXT-X-TARGETDURATION:{playlist.TargetDuration}");
        Line(sb, $"#EXT-X-MEDIA-SEQUENCE:{playlist.MediaSequence}");
        if (playlist.DiscontinuitySequence != 0)
        {
            Line(sb, $"#EXT-X-DISCONTINUITY-SEQUENCE:{playlist.DiscontinuitySequence}");
        }

        if (playlist.PlaylistType is { } type)
        {
            Line(sb, "#EXT-X-PLAYLIST-TYPE:" + type);
        }

        Tags(sb, playlist.HeaderTags);
        foreach (var segment in playlist.Segments)
        {
            Tags(sb, segment.Tags);
            if (segment.Discontinuity)
            {
                Line(sb, "#EXT-X-DISCONTINUITY");
            }

            if (segment.Map is { } map)
            {
                Line(sb, "#EXT-X-MAP:" + map.Attributes);
            }

            Line(sb, "#EXTINF:" + FormatDuration(segment.Duration) + "," + segment.Title);
            if (segment.ByteRange is { } range)
            {
                Line(sb, "#EXT-X-BYTERANGE:" + range);
            }

            Line(sb, CheckUri(segment.Uri));
        }

        Tags(sb, playlist.TrailingTags);
        if (playlist.EndList)
        {
            Line(sb, "#EXT-X-ENDLIST");
        }

        return sb.ToString();
    }

    /// <summary>Writes a master playlist: header tags, then renditions, then variants.</summary>
    public static string Write(HlsMasterPlaylist playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        var sb = new StringBuilder("#EXTM3U\n");
        if (playlist.Version is { } version)
        {
            Line(sb, $"#EXT-X-VERSION:{version}");
        }

        Tags(sb, playlist.HeaderTags);
        foreach (var rendition in playlist.Renditions)
        {
            Tags(sb, rendition.Tags);
            Line(sb, "#EXT-X-MEDIA:" + rendition.Attributes);
        }

        foreach (var variant in playlist.Variants)
        {
            Tags(sb, variant.Tags);
            Line(sb, "#EXT-X-STREAM-INF:" + variant.Attributes);
            Line(sb, CheckUri(variant.Uri));
        }

        Tags(sb, playlist.TrailingTags);
        return sb.ToString();
    }

    /// <summary>RFC 8216 §4.3.2.1: decimal-floating-point; six decimals as ffmpeg writes them, which also round-trips microsecond durations.</summary>
    public static string FormatDuration(double seconds) => seconds.ToString("0.000000", CultureInfo.InvariantCulture);

    private static void Tags(StringBuilder sb, IReadOnlyList<HlsTag> tags)
    {
        foreach (var tag in tags)
        {
            var line = tag.ToString();
            if (line.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException($"Tag {tag.Name} contains a line break.", nameof(tags));
            }

            Line(sb, line);
        }
    }

    private static string CheckUri(string uri)
    {
        if (uri.Length == 0 || uri[0] == '#' || uri.AsSpan().IndexOfAny('\r', '\n') >= 0 || uri.Trim() != uri)
        {
            throw new ArgumentException($"'{uri}' cannot be written as a playlist URI line.", nameof(uri));
        }

        return uri;
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append('\n');
}
