using System.Globalization;
using System.Text;

namespace Shoal.Node.Origin;

/// <summary>
/// Replays a folder of HLS segments as an endless live channel: the media sequence advances with real time (from
/// the <see cref="TimeProvider"/>), the playlist slides over a window of segments, the folder loops with an
/// EXT-X-DISCONTINUITY at each wrap, and every sequence number has its own URI (<c>seg-N.ext</c>) so a cache keyed
/// by URL never confuses two airings of the same file.
/// </summary>
public sealed class LiveChannel
{
    private readonly IReadOnlyList<LiveSourceSegment> _source;
    private readonly double[] _cumulativeEnd;
    private readonly double _loopSeconds;
    private readonly LiveChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _startUtc;

    public LiveChannel(IReadOnlyList<LiveSourceSegment> source, LiveChannelOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (source.Count == 0)
        {
            throw new ArgumentException("A live channel needs at least one segment.", nameof(source));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.WindowSegments);
        _source = source;
        _options = options;
        _time = time;
        _startTimestamp = time.GetTimestamp();
        _startUtc = time.GetUtcNow();
        _cumulativeEnd = new double[source.Count];
        var total = 0.0;
        for (var i = 0; i < source.Count; i++)
        {
            if (!(source[i].DurationSeconds > 0))
            {
                throw new ArgumentException($"Segment {source[i].FilePath} has no positive duration.", nameof(source));
            }

            total += source[i].DurationSeconds;
            _cumulativeEnd[i] = total;
        }

        _loopSeconds = total;
        TargetDurationSeconds = (int)Math.Ceiling(source.Max(s => s.DurationSeconds));
    }

    /// <summary>RFC 8216 §4.3.3.1: the largest segment duration rounded up to an integer.</summary>
    public int TargetDurationSeconds { get; }

    public int SourceSegmentCount => _source.Count;

    /// <summary>
    /// The newest sequence number on air. The channel starts with a full window already aired, so a player that
    /// joins at start-up finds a usable playlist at once.
    /// </summary>
    public long LatestSequence
    {
        get
        {
            var elapsed = _time.GetElapsedTime(_startTimestamp).TotalSeconds;
            var loops = (long)Math.Floor(elapsed / _loopSeconds);
            var intoLoop = elapsed - (loops * _loopSeconds);
            var completedInLoop = 0;
            while (completedInLoop < _cumulativeEnd.Length && _cumulativeEnd[completedInLoop] <= intoLoop)
            {
                completedInLoop++;
            }

            return _options.WindowSegments - 1 + (loops * _source.Count) + completedInLoop;
        }
    }

    public long FirstSequenceInWindow => Math.Max(0, LatestSequence - _options.WindowSegments + 1);

    /// <summary>The extension (with the dot) every segment URI carries, taken from the source files.</summary>
    public string SegmentExtension => Path.GetExtension(_source[0].FilePath);

    public string SegmentUri(long sequence) => string.Create(CultureInfo.InvariantCulture, $"seg-{sequence}{SegmentExtension}");

    /// <summary>The media playlist as it is now.</summary>
    public string RenderPlaylist()
    {
        var latest = LatestSequence;
        var first = Math.Max(0, latest - _options.WindowSegments + 1);
        var n = _source.Count;
        var text = new StringBuilder();
        text.Append("#EXTM3U\n#EXT-X-VERSION:3\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{TargetDurationSeconds}\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{first}\n");

        // RFC 8216 §4.3.3.3: the discontinuity sequence is the count of discontinuities before the first listed
        // segment; each wrap (sequence k·n, k ≥ 1) is one, and the first segment's own tag is then not repeated.
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-DISCONTINUITY-SEQUENCE:{first / n}\n");
        for (var sequence = first; sequence <= latest; sequence++)
        {
            // The moment the segment went on air: players measure their lag behind live from it.
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-PROGRAM-DATE-TIME:{AppearedAt(sequence):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\n");
            if (sequence != first && sequence % n == 0)
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            var segment = _source[(int)(sequence % n)];
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segment.DurationSeconds:0.000###},\n");
            text.Append(SegmentUri(sequence)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// When <paramref name="sequence"/> was (or will be) added to the playlist. The window that is on air at start
    /// is dated back from the start as if it had aired at real speed.
    /// </summary>
    public DateTimeOffset AppearedAt(long sequence)
    {
        var sinceStart = sequence - (_options.WindowSegments - 1);
        if (sinceStart <= 0)
        {
            return _startUtc.AddSeconds(sinceStart * (_loopSeconds / _source.Count));
        }

        var loops = sinceStart / _source.Count;
        var intoLoop = (int)(sinceStart % _source.Count);
        var offset = (loops * _loopSeconds) + (intoLoop == 0 ? 0 : _cumulativeEnd[intoLoop - 1]);
        return _startUtc.AddSeconds(offset).ToUniversalTime();
    }

    /// <summary>Maps an aired sequence number to the file that holds its bytes; future and long-gone sequences are refused.</summary>
    public bool TryResolveSegment(long sequence, out string filePath)
    {
        var latest = LatestSequence;
        var oldest = Math.Max(0, latest - _options.WindowSegments - _options.RetainedSegmentsBehindWindow + 1);
        if (sequence < oldest || sequence > latest)
        {
            filePath = string.Empty;
            return false;
        }

        filePath = _source[(int)(sequence % _source.Count)].FilePath;
        return true;
    }

    /// <summary>
    /// Reads the segments of a folder: the first media playlist found (its EXTINF durations and URIs), else every
    /// .ts file in name order with <see cref="LiveChannelOptions.DefaultSegmentSeconds"/> each.
    /// </summary>
    public static bool TryLoadFolder(string directory, LiveChannelOptions options, out IReadOnlyList<LiveSourceSegment> segments, out string error)
    {
        ArgumentNullException.ThrowIfNull(options);
        segments = [];
        if (!Directory.Exists(directory))
        {
            error = $"the folder '{directory}' does not exist";
            return false;
        }

        foreach (var playlist in Directory.EnumerateFiles(directory, "*.m3u8").Order(StringComparer.Ordinal))
        {
            var parsed = ParseMediaPlaylist(directory, File.ReadAllLines(playlist));
            if (parsed.Count > 0)
            {
                segments = parsed;
                error = string.Empty;
                return true;
            }
        }

        var files = Directory.EnumerateFiles(directory, "*.ts").Order(StringComparer.Ordinal)
            .Select(f => new LiveSourceSegment(f, options.DefaultSegmentSeconds)).ToList();
        if (files.Count == 0)
        {
            error = $"the folder '{directory}' has no HLS media playlist and no .ts segments to replay";
            return false;
        }

        segments = files;
        error = string.Empty;
        return true;
    }

    private static List<LiveSourceSegment> ParseMediaPlaylist(string directory, string[] lines)
    {
        var result = new List<LiveSourceSegment>();
        double? pending = null;
        var fullDirectory = Path.GetFullPath(directory);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..];
                var comma = value.IndexOf(',', StringComparison.Ordinal);
                if (comma >= 0)
                {
                    value = value[..comma];
                }

                pending = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : null;
            }
            else if (line.Length > 0 && !line.StartsWith('#') && pending is { } duration)
            {
                // Only files inside the folder: a playlist must not make the origin serve arbitrary paths.
                var path = Path.GetFullPath(Path.Combine(fullDirectory, line));
                if (!line.Contains("://", StringComparison.Ordinal) && path.StartsWith(fullDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path))
                {
                    result.Add(new LiveSourceSegment(path, duration));
                }

                pending = null;
            }
        }

        return result;
    }
}
