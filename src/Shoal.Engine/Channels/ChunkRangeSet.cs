namespace Shoal.Engine.Channels;

/// <summary>A set of chunk indices kept as sorted, disjoint, non-adjacent inclusive ranges.</summary>
internal sealed class ChunkRangeSet
{
    private readonly List<(ulong Start, ulong End)> _ranges = [];
    private readonly int _maxRanges;

    public ChunkRangeSet(int maxRanges) => _maxRanges = maxRanges;

    public int RangeCount => _ranges.Count;

    /// <summary>Whether every chunk of [start, end] is in the set.</summary>
    public bool ContainsAll(ulong start, ulong end)
    {
        var i = IndexOfLastStartAtOrBefore(start);
        return i >= 0 && _ranges[i].End >= end;
    }

    /// <summary>Adds [start, end], merging with neighbours; returns false if it was already wholly present.</summary>
    public bool Add(ulong start, ulong end)
    {
        var i = IndexOfLastStartAtOrBefore(start);
        if (i >= 0 && _ranges[i].End >= end)
        {
            return false;
        }

        // Merge with the range before if it overlaps or touches.
        if (i >= 0 && _ranges[i].End != ulong.MaxValue && _ranges[i].End + 1 >= start)
        {
            start = _ranges[i].Start;
            end = Math.Max(end, _ranges[i].End);
            _ranges.RemoveAt(i);
        }
        else
        {
            i++;
        }

        // Swallow ranges after it that overlap or touch.
        while (i < _ranges.Count && (end == ulong.MaxValue || _ranges[i].Start <= end + 1))
        {
            end = Math.Max(end, _ranges[i].End);
            _ranges.RemoveAt(i);
        }

        _ranges.Insert(i, (start, end));
        if (_ranges.Count > _maxRanges)
        {
            // Forget the lowest chunks first: in streaming they are the oldest.
            _ranges.RemoveAt(0);
        }

        return true;
    }

    private int IndexOfLastStartAtOrBefore(ulong value)
    {
        // Appends dominate: check the last range first.
        var count = _ranges.Count;
        if (count == 0)
        {
            return -1;
        }

        if (_ranges[count - 1].Start <= value)
        {
            return count - 1;
        }

        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ranges[mid].Start <= value)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
