using System.Globalization;

namespace Shoal.Tracker.Oracle;

/// <summary>
/// The little of an HLS media playlist (RFC 8216) the hash oracle needs: each segment's media sequence number, URI
/// and duration, the target duration and whether the list has ended. Deliberately minimal: Shoal.Media has the full
/// parser, but the tracker depends on Core only (a shared parser in Core would replace this).
/// </summary>
public sealed record MediaPlaylist(IReadOnlyList<PlaylistSegment> Segments, TimeSpan TargetDuration, bool Ended)
{
    /// <summary>Playlists larger than this are refused (a VOD list of 10,000 segments is well under it).</summary>
    public const int MaxLength = 4 << 20;

    /// <summary>Reads a media playlist; refuses master playlists, byte-range segments and anything that is not HLS.</summary>
    public static bool TryParse(string text, Uri playlistUri, out MediaPlaylist playlist, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(playlistUri);
        playlist = new MediaPlaylist([], TimeSpan.Zero, false);
        if (text.Length > MaxLength)
        {
            error = $"The playlist is larger than {MaxLength} characters.";
            return false;
        }

        var lines = text.Split('\n', StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !lines[0].TrimStart('\uFEFF').StartsWith("#EXTM3U", StringComparison.Ordinal))
        {
            error = "Not an HLS playlist: the first line is not #EXTM3U (RFC 8216 §4.3.1.1).";
            return false;
        }

        var segments = new List<PlaylistSegment>();
        long sequence = 0;
        TimeSpan? duration = null;
        var target = TimeSpan.Zero;
        var ended = false;
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal))
            {
                error = "This is a master playlist: map each variant's media playlist instead.";
                return false;
            }

            if (line.StartsWith("#EXT-X-BYTERANGE", StringComparison.Ordinal))
            {
                error = "Byte-range segments (#EXT-X-BYTERANGE) are not supported by the hash oracle.";
                return false;
            }

            if (TryTag(line, "#EXT-X-MEDIA-SEQUENCE:", out var value))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out sequence))
                {
                    error = $"Bad #EXT-X-MEDIA-SEQUENCE: '{value}'.";
                    return false;
                }
            }
            else if (TryTag(line, "#EXT-X-TARGETDURATION:", out value))
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 86_400)
                {
                    error = $"Bad #EXT-X-TARGETDURATION: '{value}'.";
                    return false;
                }

                target = TimeSpan.FromSeconds(seconds);
            }
            else if (TryTag(line, "#EXTINF:", out value))
            {
                var comma = value.IndexOf(',', StringComparison.Ordinal);
                var number = comma >= 0 ? value[..comma] : value;
                duration = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 86_400
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
            }
            else if (line.StartsWith("#EXT-X-ENDLIST", StringComparison.Ordinal))
            {
                ended = true;
            }
            else if (!line.StartsWith('#'))
            {
                if (!Uri.TryCreate(playlistUri, line, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    error = $"Segment URI '{line}' is not an http(s) URL relative to the playlist.";
                    return false;
                }

                segments.Add(new PlaylistSegment(sequence++, uri, duration));
                duration = null;
            }
        }

        playlist = new MediaPlaylist(segments, target, ended);
        error = string.Empty;
        return true;
    }

    private static bool TryTag(string line, string tag, out string value)
    {
        value = line.StartsWith(tag, StringComparison.Ordinal) ? line[tag.Length..].Trim() : string.Empty;
        return value.Length > 0;
    }
}
