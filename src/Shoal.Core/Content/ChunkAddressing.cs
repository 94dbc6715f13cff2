namespace Shoal.Core.Content;

/// <summary>
/// The one mapping from (segment sequence, chunk in segment) to RFC 7574 32-bit chunk numbers that every part of
/// Shoal uses. A resource's chunk space is cut into segment slots of 2^<see cref="SegmentSlotBits"/> chunks, so each
/// segment is a whole, aligned subtree of the RFC's binary tree (RFC 7574 §4.2), and live sequence numbers wrap
/// after 2^<see cref="SequenceBits"/> segments.
/// </summary>
public static class ChunkAddressing
{
    /// <summary>RFC 7574 §8.7 default chunk size: one DATA message carries one chunk.</summary>
    public const int ChunkSize = 1024;

    /// <summary>log2 of <see cref="ChunkSize"/>.</summary>
    public const int ChunkSizeBits = 10;

    /// <summary>log2 of the chunks in one segment slot.</summary>
    public const int SegmentSlotBits = 14;

    /// <summary>Chunks in one segment slot (16 MiB of content).</summary>
    public const int SegmentSlotChunks = 1 << SegmentSlotBits;

    /// <summary>The largest segment: one whole slot.</summary>
    public const long MaxSegmentLength = (long)SegmentSlotChunks * ChunkSize;

    /// <summary>Bits of the segment sequence kept in a 32-bit chunk number.</summary>
    public const int SequenceBits = 32 - SegmentSlotBits;

    /// <summary>Segment slots before live sequence numbers wrap.</summary>
    public const long SegmentSlotCount = 1L << SequenceBits;

    /// <summary>The slot (0 .. 2^18 - 1) of a segment sequence number.</summary>
    public static uint SegmentSlot(long segmentSequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segmentSequence);
        return (uint)(segmentSequence & (SegmentSlotCount - 1));
    }

    /// <summary>The global 32-bit chunk number of chunk <paramref name="chunkInSegment"/> of a segment.</summary>
    public static uint GlobalChunk(long segmentSequence, int chunkInSegment)
    {
        if ((uint)chunkInSegment >= SegmentSlotChunks)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkInSegment), chunkInSegment, $"A segment has at most {SegmentSlotChunks} chunks.");
        }

        return (SegmentSlot(segmentSequence) << SegmentSlotBits) | (uint)chunkInSegment;
    }

    /// <summary>The first global chunk number of a segment's slot.</summary>
    public static uint FirstGlobalChunk(long segmentSequence) => SegmentSlot(segmentSequence) << SegmentSlotBits;

    /// <summary>Splits a global chunk number into its segment slot and its chunk index inside the segment.</summary>
    public static (uint SegmentSlot, int ChunkInSegment) Split(uint globalChunk) =>
        (globalChunk >> SegmentSlotBits, (int)(globalChunk & (SegmentSlotChunks - 1)));

    /// <summary>
    /// The full sequence number of a slot, taken as the one nearest to <paramref name="referenceSequence"/>
    /// (a live node resolves wrapped slots against the sequence it is playing).
    /// </summary>
    public static long SequenceNearest(uint segmentSlot, long referenceSequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(referenceSequence);
        if (segmentSlot >= SegmentSlotCount)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentSlot), segmentSlot, "Not a segment slot.");
        }

        var candidate = (referenceSequence & ~(SegmentSlotCount - 1)) + segmentSlot;
        var distance = candidate - referenceSequence;
        if (distance > SegmentSlotCount / 2 && candidate >= SegmentSlotCount)
        {
            candidate -= SegmentSlotCount;
        }
        else if (distance < -(SegmentSlotCount / 2))
        {
            candidate += SegmentSlotCount;
        }

        return candidate;
    }

    /// <summary>Chunks needed for <paramref name="length"/> bytes (the last one may be short).</summary>
    public static long ChunkCount(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return (length + ChunkSize - 1) >> ChunkSizeBits;
    }

    /// <summary>The segment's root bin in the resource-wide tree (RFC 7574 §4.2 numbering, 64-bit).</summary>
    public static Bin SegmentBin(long segmentSequence) => Bin.FromLayerOffset(SegmentSlotBits, SegmentSlot(segmentSequence));

    /// <summary>Moves a bin of a segment's own tree (chunk 0 = the segment's first chunk) into the resource-wide tree.</summary>
    public static Bin ToGlobal(long segmentSequence, Bin localBin)
    {
        if (localBin.Layer > SegmentSlotBits)
        {
            throw new ArgumentOutOfRangeException(nameof(localBin), localBin, "A segment's bins lie at most at its slot's layer.");
        }

        var offsetsPerSlot = 1L << (SegmentSlotBits - localBin.Layer);
        return Bin.FromLayerOffset(localBin.Layer, (SegmentSlot(segmentSequence) * offsetsPerSlot) + localBin.Offset);
    }
}
