using Shoal.Core.Content;
using Shoal.Core.Flv;
using Shoal.Core.Integrity;

namespace Shoal.Core.Fragmentation;

/// <summary>
/// PPIO's rule for HTTP-FLV live: slices that start at a keyframe and last at least a minimum duration D, cut as the
/// stream arrives. Every node must cut alike without talking, although each joined the stream at its own moment, so
/// the rule looks only at timestamps: a keyframe starts a slice when it is the first keyframe at or after a multiple
/// of D (a time grid), and at least D after the current slice's start. The slice is named by its grid cell. A node
/// that joins late agrees with the others from its first slice on whenever keyframes fall on the grid (the usual case:
/// GOPs that divide D), and otherwise as soon as a cut falls at least D after both nodes' current slices.
/// </summary>
/// <remarks>
/// Assumes the origin keeps the encoder's timestamps for every client (absolute time; SRS calls it ATC). Bytes before
/// the first slice go only into the late-joiner prefix (<see cref="Prefix"/>). A slice that would outgrow a segment
/// (16 MiB) without a keyframe is continued in a new slice that does not start at a keyframe.
/// </remarks>
public sealed class FlvLiveFragmenter
{
    private readonly FlvTagReader _reader = new();
    private readonly List<FlvTag> _tags = [];
    private readonly SegmentHasher _hasher;
    private readonly long _gridMilliseconds;
    private byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;
    private long _pendingStart;
    private long? _previousKeyframe;
    private OpenSlice? _open;
    private long? _lastSequence;

    public FlvLiveFragmenter(FragmentationOptions? options = null)
    {
        var validated = (options ?? new FragmentationOptions()).Validated();
        _gridMilliseconds = (long)validated.EffectiveFlvMinimumSliceDuration.TotalMilliseconds;
        _hasher = new SegmentHasher(validated.HashFunction);
    }

    /// <summary>The FLV header, metadata and sequence headers seen so far: what a late joiner needs first.</summary>
    public FlvLateJoinerPrefix Prefix { get; } = new();

    /// <summary>Bytes consumed so far.</summary>
    public long Position => _reader.Position;

    /// <summary>Consumes <paramref name="data"/>; adds each slice it completes. False (and nothing more) once the stream is malformed.</summary>
    public bool TryFeed(ReadOnlySpan<byte> data, ICollection<FlvSlice> completed, out string error)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_reader.Error is { } earlier)
        {
            error = earlier;
            return false;
        }

        Buffer(data);
        _tags.Clear();
        var ok = _reader.TryFeed(data, _tags, out var readError);
        if (_reader.HasHeader)
        {
            Prefix.SetHeader(_reader.Header);
        }

        foreach (var tag in _tags)
        {
            if (!TryTakeTag(tag, completed, out error))
            {
                return false;
            }
        }

        Compact();
        error = readError;
        return ok;
    }

    /// <summary>Ends the stream: the open slice, if any, closed at the last whole tag.</summary>
    public FlvSlice? Complete()
    {
        if (_open is not { } open)
        {
            return null;
        }

        _open = null;
        return Close(open, open.LastTimestamp);
    }

    private bool TryTakeTag(FlvTag tag, ICollection<FlvSlice> completed, out string error)
    {
        error = string.Empty;
        Prefix.Observe(tag);
        if (tag.TotalLength > ChunkAddressing.MaxSegmentLength)
        {
            error = $"The tag at offset {tag.Offset} is {tag.TotalLength} bytes, larger than a segment ({ChunkAddressing.MaxSegmentLength}).";
            return false;
        }

        if (tag.IsKeyframe)
        {
            if (StartsSlice(tag.Timestamp))
            {
                Open(tag, startsAtKeyframe: true, completed);
            }

            _previousKeyframe = tag.Timestamp;
        }

        if (_open is { } open && open.Length + tag.TotalLength > ChunkAddressing.MaxSegmentLength)
        {
            Open(tag, startsAtKeyframe: false, completed);
        }

        if (_open is { } current)
        {
            _hasher.Append(_pending.AsSpan((int)(tag.Offset - _pendingStart), (int)tag.TotalLength));
            _open = current with { Length = current.Length + tag.TotalLength, LastTimestamp = Math.Max(current.LastTimestamp, tag.Timestamp) };
        }

        return true;
    }

    private bool StartsSlice(long timestamp)
    {
        var onGrid = _previousKeyframe is { } previous
            ? Grid(timestamp) > Grid(previous)
            : timestamp >= 0 && timestamp % _gridMilliseconds == 0;
        return onGrid && (_open is not { } open || timestamp - open.StartTimestamp >= _gridMilliseconds);
    }

    private void Open(FlvTag tag, bool startsAtKeyframe, ICollection<FlvSlice> completed)
    {
        if (_open is { } previous)
        {
            completed.Add(Close(previous, tag.Timestamp));
        }

        var sequence = Math.Max(Grid(tag.Timestamp), (_lastSequence ?? -1) + 1);
        _lastSequence = sequence;
        _open = new OpenSlice(sequence, tag.Offset, 0, tag.Timestamp, tag.Timestamp, startsAtKeyframe);
    }

    private FlvSlice Close(OpenSlice open, long endTimestamp) =>
        new(open.Sequence, open.Offset, open.Length, open.StartTimestamp, TimeSpan.FromMilliseconds(Math.Max(0, endTimestamp - open.StartTimestamp)), open.StartsAtKeyframe, _hasher.Finish());

    private long Grid(long timestamp) => Math.Max(0, timestamp) / _gridMilliseconds;

    private void Buffer(ReadOnlySpan<byte> data)
    {
        if (_pendingLength + data.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + data.Length));
        }

        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += data.Length;
    }

    // Drops the bytes before the tag still arriving: every completed tag has been hashed already.
    private void Compact()
    {
        var drop = (int)(_reader.CurrentTagOffset - _pendingStart);
        if (drop <= 0)
        {
            return;
        }

        _pending.AsSpan(drop, _pendingLength - drop).CopyTo(_pending);
        _pendingLength -= drop;
        _pendingStart += drop;
    }

    private readonly record struct OpenSlice(long Sequence, long Offset, long Length, long StartTimestamp, long LastTimestamp, bool StartsAtKeyframe);
}
