namespace Shoal.Core.Fragmentation;

/// <summary>
/// PPIO's rule for plain files ("FS") and HTTP-FLV on demand ("VS"): fixed-size segments, the last one shorter. Pure
/// arithmetic on the total length, so a node seeking into a 50 GiB file finds its segment without reading anything.
/// </summary>
public static class FixedSizeFragmenter
{
    /// <summary>Segments of a stream of <paramref name="totalLength"/> bytes (0 for an empty one).</summary>
    public static long SegmentCount(long totalLength, long segmentSize)
    {
        Check(totalLength, segmentSize);
        return totalLength == 0 ? 0 : ((totalLength - 1) / segmentSize) + 1;
    }

    /// <summary>The segment holding byte <paramref name="offset"/>.</summary>
    public static long SegmentOf(long offset, long segmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentSize);
        return offset / segmentSize;
    }

    /// <summary>Segment <paramref name="sequence"/> of a stream of <paramref name="totalLength"/> bytes.</summary>
    public static SegmentCut SegmentAt(long totalLength, long segmentSize, long sequence)
    {
        var count = SegmentCount(totalLength, segmentSize);
        if (sequence < 0 || sequence >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"The stream has {count} segments.");
        }

        var offset = sequence * segmentSize;
        return new SegmentCut(sequence, offset, Math.Min(segmentSize, totalLength - offset));
    }

    /// <summary>Every segment, in order.</summary>
    public static IEnumerable<SegmentCut> Cut(long totalLength, long segmentSize)
    {
        var count = SegmentCount(totalLength, segmentSize);
        for (var sequence = 0L; sequence < count; sequence++)
        {
            yield return SegmentAt(totalLength, segmentSize, sequence);
        }
    }

    private static void Check(long totalLength, long segmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentSize);
    }
}
