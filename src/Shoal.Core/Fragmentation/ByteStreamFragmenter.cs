using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Core.Fragmentation;

/// <summary>
/// Cuts a plain file or an FLV VOD stream into fixed-size segments as its bytes arrive, and hashes each into a
/// manifest entry: what a publisher or a mapping service runs over the origin's bytes. The cut agrees with
/// <see cref="FixedSizeFragmenter"/>, which computes it from the length alone.
/// </summary>
public sealed class ByteStreamFragmenter
{
    private readonly FragmentationOptions _options;
    private readonly string _uri;
    private readonly SegmentHasher _hasher;
    private long _segmentStart;
    private long _sequence;

    /// <param name="uri">The URI every segment is fetched from (with a byte range: its offset and length).</param>
    /// <param name="options">Segment and piece sizes.</param>
    public ByteStreamFragmenter(string uri, FragmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        _uri = uri;
        _options = (options ?? new FragmentationOptions()).Validated();
        _hasher = new SegmentHasher(_options.HashFunction);
    }

    /// <summary>Bytes consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>Consumes <paramref name="data"/>, adding each segment it completes to <paramref name="completed"/>.</summary>
    public void Append(ReadOnlySpan<byte> data, ICollection<SegmentEntry> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        while (!data.IsEmpty)
        {
            var room = (int)Math.Min(_options.SegmentSize - _hasher.Length, data.Length);
            _hasher.Append(data[..room]);
            data = data[room..];
            Position += room;
            if (_hasher.Length == _options.SegmentSize)
            {
                completed.Add(CloseSegment());
            }
        }
    }

    /// <summary>Ends the stream: the last, shorter segment if any bytes are left.</summary>
    public void Complete(ICollection<SegmentEntry> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_hasher.Length > 0)
        {
            completed.Add(CloseSegment());
        }
    }

    private SegmentEntry CloseSegment()
    {
        var length = _hasher.Length;
        var entry = new SegmentEntry(_sequence++, _uri, _segmentStart, length, null, _hasher.Finish());
        _segmentStart += length;
        return entry;
    }
}
