using System.Globalization;
using System.Text;

namespace Shoal.Media.Hls;

/// <summary>
/// Reads HLS playlists (RFC 8216) from untrusted text: returns a media or master playlist, or a clear
/// error with its line number; never throws on bad input and never allocates beyond the option limits.
/// </summary>
public static class HlsPlaylistParser
{
    /// <summary>Longest segment duration accepted, in seconds; anything larger is a broken or hostile playlist.</summary>
    public const double MaxSegmentDurationSeconds = 86_400;

    /// <summary>Tags RFC 8216 §4.3.2 (and its successor draft) define as applying to the next media segment.</summary>
    private static readonly HashSet<string> SegmentTags = new(StringComparer.Ordinal)
    {
        "EXT-X-KEY", "EXT-X-PROGRAM-DATE-TIME", "EXT-X-DATERANGE", "EXT-X-GAP", "EXT-X-BITRATE", "EXT-X-PART",
        "EXT-X-CUE-OUT", "EXT-X-CUE-IN", "EXT-X-CUE-OUT-CONT",
    };

    /// <summary>Parses UTF-8 bytes (a leading BOM is allowed); see <see cref="TryParse(string, Uri?, HlsParserOptions?, out HlsPlaylist?, out HlsParseError)"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, Uri? url, HlsParserOptions? options, out HlsPlaylist? playlist, out HlsParseError error)
    {
        options ??= HlsParserOptions.Default;
        if (utf8.Length > options.MaxCharacters * 4L)
        {
            playlist = null;
            error = new HlsParseError(0, $"larger than the {options.MaxCharacters}-character limit");
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            playlist = null;
            error = new HlsParseError(0, "not valid UTF-8 (RFC 8216 §4.1)");
            return false;
        }

        return TryParse(text, url, options, out playlist, out error);
    }

    /// <summary>Parses a playlist; <paramref name="url"/> (the playlist's own URL) is kept for resolving relative URIs.</summary>
    public static bool TryParse(string text, Uri? url, HlsParserOptions? options, out HlsPlaylist? playlist, out HlsParseError error)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= HlsParserOptions.Default;
        playlist = null;
        if (text.Length > options.MaxCharacters)
        {
            error = new HlsParseError(0, $"larger than the {options.MaxCharacters}-character limit");
            return false;
        }

        var lines = SplitLines(text);
        if (lines.Count == 0 || lines[0].Text.TrimEnd() != "#EXTM3U")
        {
            error = new HlsParseError(lines.Count == 0 ? 0 : 1, "does not start with #EXTM3U (RFC 8216 §4.3.1.1)");
            return false;
        }

        foreach (var line in lines)
        {
            if (line.Text.Length > options.MaxLineLength)
            {
                error = new HlsParseError(line.Number, $"line longer than {options.MaxLineLength} characters");
                return false;
            }
        }

        var isMaster = lines.Exists(l => l.Text.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal) || l.Text.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal));
        var isMedia = lines.Exists(l => l.Text.StartsWith("#EXTINF", StringComparison.Ordinal) || l.Text.StartsWith("#EXT-X-TARGETDURATION", StringComparison.Ordinal));
        if (isMaster && isMedia)
        {
            error = new HlsParseError(0, "mixes master tags (EXT-X-STREAM-INF/EXT-X-MEDIA) and media tags (EXTINF/EXT-X-TARGETDURATION) (RFC 8216 §4.3.4)");
            return false;
        }

        if (!isMaster && !isMedia)
        {
            error = new HlsParseError(0, "neither a media playlist (no EXT-X-TARGETDURATION) nor a master playlist (no EXT-X-STREAM-INF)");
            return false;
        }

        var ok = isMaster
            ? TryParseMaster(lines, url, options, out var master, out error) && (playlist = master) is not null
            : TryParseMedia(lines, url, options, out var media, out error) && (playlist = media) is not null;
        return ok;
    }

    private static bool TryParseMedia(List<Line> lines, Uri? url, HlsParserOptions options, out HlsMediaPlaylist? playlist, out HlsParseError error)
    {
        playlist = null;
        int? version = null;
        long? targetDuration = null;
        long mediaSequence = 0, discontinuitySequence = 0;
        string? playlistType = null;
        var endList = false;
        var header = new List<HlsTag>();
        var segments = new List<HlsSegment>();
        var pending = new List<HlsTag>();
        var inSegment = false;
        var discontinuity = false;
        HlsMap? map = null;
        (double Duration, string? Title)? extinf = null;
        HlsByteRange? byteRange = null;

        for (var i = 1; i < lines.Count; i++)
        {
            var (number, text) = lines[i];
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (text[0] != '#')
            {
                if (extinf is not { } inf)
                {
                    error = new HlsParseError(number, "segment URI without a preceding EXTINF (RFC 8216 §4.3.2.1)");
                    return false;
                }

                if (segments.Count >= options.MaxEntries)
                {
                    error = new HlsParseError(number, $"more than {options.MaxEntries} segments");
                    return false;
                }

                segments.Add(new HlsSegment
                {
                    Uri = text.Trim(),
                    Duration = inf.Duration,
                    Title = inf.Title,
                    ByteRange = byteRange,
                    Discontinuity = discontinuity,
                    Map = map,
                    Tags = [.. pending],
                });
                pending.Clear();
                extinf = null;
                byteRange = null;
                discontinuity = false;
                map = null;
                continue;
            }

            var tag = HlsTag.FromLine(text);
            var value = tag.Value ?? "";
            switch (tag.Name)
            {
                case "EXT-X-VERSION":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                    {
                        return Fail(number, "EXT-X-VERSION is not an integer", out error);
                    }

                    version = v;
                    break;
                case "EXT-X-TARGETDURATION":
                    // RFC 8216 §4.3.3.1 says decimal-integer; some packagers write "10.0": accept and round up.
                    if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var td) || td > MaxSegmentDurationSeconds)
                    {
                        return Fail(number, "EXT-X-TARGETDURATION is not a valid number of seconds", out error);
                    }

                    targetDuration = (long)Math.Ceiling(td);
                    break;
                case "EXT-X-MEDIA-SEQUENCE":
                    if (!HlsByteRange.TryParseNonNegative(value, out mediaSequence))
                    {
                        return Fail(number, "EXT-X-MEDIA-SEQUENCE is not a non-negative integer", out error);
                    }

                    break;
                case "EXT-X-DISCONTINUITY-SEQUENCE":
                    if (!HlsByteRange.TryParseNonNegative(value, out discontinuitySequence))
                    {
                        return Fail(number, "EXT-X-DISCONTINUITY-SEQUENCE is not a non-negative integer", out error);
                    }

                    break;
                case "EXT-X-PLAYLIST-TYPE":
                    if (value is not ("VOD" or "EVENT"))
                    {
                        return Fail(number, "EXT-X-PLAYLIST-TYPE must be VOD or EVENT", out error);
                    }

                    playlistType = value;
                    break;
                case "EXT-X-ENDLIST":
                    endList = true;
                    break;
                case "EXTINF":
                    if (!TryParseExtinf(value, out var duration, out var title))
                    {
                        return Fail(number, "EXTINF duration is not a valid number of seconds", out error);
                    }

                    extinf = (duration, title);
                    inSegment = true;
                    break;
                case "EXT-X-BYTERANGE":
                    if (!HlsByteRange.TryParse(value, out var range))
                    {
                        return Fail(number, "EXT-X-BYTERANGE is not n[@o]", out error);
                    }

                    byteRange = range;
                    inSegment = true;
                    break;
                case "EXT-X-DISCONTINUITY":
                    discontinuity = true;
                    inSegment = true;
                    break;
                case "EXT-X-MAP":
                    if (!HlsAttributeList.TryParse(value, out var attributes, out var why))
                    {
                        return Fail(number, "EXT-X-MAP: " + why, out error);
                    }

                    var m = new HlsMap(attributes);
                    if (m.Uri.Length == 0)
                    {
                        return Fail(number, "EXT-X-MAP without a URI attribute", out error);
                    }

                    if (attributes.GetString("BYTERANGE") is not null && m.ByteRange is null)
                    {
                        return Fail(number, "EXT-X-MAP BYTERANGE is not n[@o]", out error);
                    }

                    map = m;
                    inSegment = true;
                    break;
                default:
                    if (SegmentTags.Contains(tag.Name))
                    {
                        inSegment = true;
                    }

                    (inSegment || segments.Count > 0 ? pending : header).Add(tag);
                    break;
            }
        }

        if (extinf is not null)
        {
            return Fail(lines[^1].Number, "the last EXTINF has no segment URI (truncated playlist?)", out error);
        }

        if (targetDuration is null)
        {
            return Fail(0, "missing EXT-X-TARGETDURATION (RFC 8216 §4.3.3.1)", out error);
        }

        // A tag that announces a segment which never came stays visible as a trailing tag rather than vanishing.
        if (discontinuity)
        {
            pending.Add(new HlsTag("EXT-X-DISCONTINUITY", null));
        }

        if (map is not null)
        {
            pending.Add(new HlsTag("EXT-X-MAP", map.Attributes.ToString()));
        }

        if (byteRange is { } orphanRange)
        {
            pending.Add(new HlsTag("EXT-X-BYTERANGE", orphanRange.ToString()));
        }

        playlist = new HlsMediaPlaylist
        {
            Url = url,
            Version = version,
            TargetDuration = targetDuration.Value,
            MediaSequence = mediaSequence,
            DiscontinuitySequence = discontinuitySequence,
            PlaylistType = playlistType,
            EndList = endList,
            HeaderTags = header,
            Segments = segments,
            TrailingTags = pending,
        };
        error = default;
        return true;
    }

    private static bool TryParseMaster(List<Line> lines, Uri? url, HlsParserOptions options, out HlsMasterPlaylist? playlist, out HlsParseError error)
    {
        playlist = null;
        int? version = null;
        var header = new List<HlsTag>();
        var renditions = new List<HlsRendition>();
        var variants = new List<HlsVariant>();
        var pending = new List<HlsTag>();
        (HlsAttributeList Attributes, List<HlsTag> Tags, int Line)? streamInf = null;

        for (var i = 1; i < lines.Count; i++)
        {
            var (number, text) = lines[i];
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (renditions.Count + variants.Count >= options.MaxEntries)
            {
                return Fail(number, $"more than {options.MaxEntries} variants and renditions", out error);
            }

            if (text[0] != '#')
            {
                if (streamInf is not { } inf)
                {
                    return Fail(number, "URI without a preceding EXT-X-STREAM-INF (RFC 8216 §4.3.4.2)", out error);
                }

                variants.Add(new HlsVariant(inf.Attributes, text.Trim()) { Tags = inf.Tags });
                streamInf = null;
                continue;
            }

            var tag = HlsTag.FromLine(text);
            switch (tag.Name)
            {
                case "EXT-X-VERSION":
                    if (!int.TryParse(tag.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                    {
                        return Fail(number, "EXT-X-VERSION is not an integer", out error);
                    }

                    version = v;
                    break;
                case "EXT-X-STREAM-INF":
                    if (streamInf is not null)
                    {
                        return Fail(number, "EXT-X-STREAM-INF follows another without a URI between them", out error);
                    }

                    if (!HlsAttributeList.TryParse(tag.Value ?? "", out var si, out var why))
                    {
                        return Fail(number, "EXT-X-STREAM-INF: " + why, out error);
                    }

                    if (si.GetInteger("BANDWIDTH") is null)
                    {
                        return Fail(number, "EXT-X-STREAM-INF without a valid BANDWIDTH (RFC 8216 §4.3.4.2)", out error);
                    }

                    streamInf = (si, [.. pending], number);
                    pending.Clear();
                    break;
                case "EXT-X-MEDIA":
                    if (!HlsAttributeList.TryParse(tag.Value ?? "", out var media, out var mediaWhy))
                    {
                        return Fail(number, "EXT-X-MEDIA: " + mediaWhy, out error);
                    }

                    if (media.GetString("TYPE") is null || media.GetString("GROUP-ID") is null || media.GetString("NAME") is null)
                    {
                        return Fail(number, "EXT-X-MEDIA needs TYPE, GROUP-ID and NAME (RFC 8216 §4.3.4.1)", out error);
                    }

                    renditions.Add(new HlsRendition(media) { Tags = [.. pending] });
                    pending.Clear();
                    break;
                default:
                    (renditions.Count + variants.Count > 0 || streamInf is not null ? pending : header).Add(tag);
                    break;
            }
        }

        if (streamInf is { } dangling)
        {
            return Fail(dangling.Line, "EXT-X-STREAM-INF has no URI after it (truncated playlist?)", out error);
        }

        playlist = new HlsMasterPlaylist
        {
            Url = url,
            Version = version,
            HeaderTags = header,
            Renditions = renditions,
            Variants = variants,
            TrailingTags = pending,
        };
        error = default;
        return true;
    }

    private static bool TryParseExtinf(string value, out double duration, out string? title)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        var number = comma < 0 ? value : value[..comma];
        title = comma < 0 || comma == value.Length - 1 ? null : value[(comma + 1)..];
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out duration)
            && double.IsFinite(duration) && duration <= MaxSegmentDurationSeconds;
    }

    private static bool Fail(int line, string message, out HlsParseError error)
    {
        error = new HlsParseError(line, message);
        return false;
    }

    private static List<Line> SplitLines(string text)
    {
        var lines = new List<Line>();
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var number = 1;
        for (var i = start; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '\n' || text[i] == '\r')
            {
                if (i < text.Length || i > start)
                {
                    // Trailing blanks carry no meaning (RFC 8216 §4.1) but would turn "#EXT-X-ENDLIST " into an unknown tag.
                    lines.Add(new Line(number, text[start..i].TrimEnd(' ', '\t')));
                }

                if (i < text.Length - 1 && text[i] == '\r' && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
                number++;
            }
        }

        return lines;
    }

    private readonly record struct Line(int Number, string Text);
}
