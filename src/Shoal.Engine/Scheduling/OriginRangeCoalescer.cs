using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// Coalesces pieces bound for the origin into as few HTTP range requests as possible: adjacent pieces of one segment
/// join one range up to <see cref="SchedulerSettings.MaxOriginRangeBytes"/>; a range is urgent if any of its pieces is.
/// </summary>
internal sealed class OriginRangeCoalescer(SchedulerSettings settings)
{
    /// <summary>
    /// The ranges for <paramref name="pieces"/>, taken in piece order (pieces of the same key in the order given).
    /// Each range takes the counter <paramref name="nextId"/> after incrementing it; a piece of a segment not in
    /// <paramref name="segments"/> is skipped.
    /// </summary>
    public List<OriginRange> Coalesce(IReadOnlyList<(PieceId Key, bool Urgent)> pieces, IReadOnlyList<SegmentTiming> segments, ref long nextId)
    {
        var ranges = new List<OriginRange>();
        // A pass hands its pieces over in playback order nearly always: only an unordered list pays for a (stable) sort.
        var ordered = IsInOrder(pieces) ? pieces : pieces.OrderBy(p => p.Key).ToList();
        SegmentTiming? timing = null;
        var open = false;
        long segment = 0, offset = 0, length = 0;
        int first = 0, count = 0;
        var urgentRun = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            var (key, urgent) = ordered[i];
            if (timing?.Sequence != key.SegmentSequence) timing = SegmentTimings.Find(segments, key.SegmentSequence);
            if (timing is null) continue;
            var pieceLength = timing.PieceLength(key.PieceIndex);
            if (open && segment == key.SegmentSequence && first + count == key.PieceIndex && length + pieceLength <= settings.MaxOriginRangeBytes)
            {
                count++;
                length += pieceLength;
                urgentRun |= urgent;
                continue;
            }
            if (open) ranges.Add(new OriginRange(++nextId, segment, first, count, offset, length, urgentRun));
            open = true;
            (segment, first, count, offset, length, urgentRun) = (key.SegmentSequence, key.PieceIndex, 1, timing.PieceOffset(key.PieceIndex), pieceLength, urgent);
        }
        if (open) ranges.Add(new OriginRange(++nextId, segment, first, count, offset, length, urgentRun));
        return ranges;
    }

    private static bool IsInOrder(IReadOnlyList<(PieceId Key, bool Urgent)> pieces)
    {
        for (var i = 1; i < pieces.Count; i++)
            if (pieces[i - 1].Key.CompareTo(pieces[i].Key) > 0) return false;
        return true;
    }
}
