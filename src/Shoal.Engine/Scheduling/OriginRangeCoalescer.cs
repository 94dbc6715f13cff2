using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// Coalesces pieces bound for the origin into as few HTTP range requests as possible: adjacent pieces of one segment
/// join one range up to <see cref="SchedulerSettings.MaxOriginRangeBytes"/>; a range is urgent if any of its pieces is.
/// </summary>
internal sealed class OriginRangeCoalescer(SchedulerSettings settings)
{
    public List<OriginRange> Coalesce(IEnumerable<(PieceId Key, bool Urgent)> pieces, Func<long, SegmentTiming?> timingOf, Func<long> nextId)
    {
        var ranges = new List<OriginRange>();
        SegmentTiming? timing = null;
        (long Segment, int First, int Count, long Offset, long Length, bool Urgent)? open = null;
        foreach (var (key, urgent) in pieces.OrderBy(p => p.Key))
        {
            if (timing?.Sequence != key.SegmentSequence) timing = timingOf(key.SegmentSequence);
            if (timing is null) continue;
            var length = timing.PieceLength(key.PieceIndex);
            if (open is { } run && run.Segment == key.SegmentSequence && run.First + run.Count == key.PieceIndex && run.Length + length <= settings.MaxOriginRangeBytes)
            {
                open = run with { Count = run.Count + 1, Length = run.Length + length, Urgent = run.Urgent || urgent };
                continue;
            }
            Close();
            open = (key.SegmentSequence, key.PieceIndex, 1, timing.PieceOffset(key.PieceIndex), length, urgent);
        }
        Close();
        return ranges;

        void Close()
        {
            if (open is not { } run) return;
            ranges.Add(new OriginRange(nextId(), run.Segment, run.First, run.Count, run.Offset, run.Length, run.Urgent));
            open = null;
        }
    }
}
