namespace Shoal.Core.Fragmentation;

/// <summary>Where one segment lies in a resource's byte stream: the output of a fragmenter, before hashing.</summary>
/// <param name="Sequence">The segment's sequence number.</param>
/// <param name="Offset">Byte offset of its first byte in the stream.</param>
/// <param name="Length">Bytes in the segment.</param>
public readonly record struct SegmentCut(long Sequence, long Offset, long Length)
{
    /// <summary>Offset just past the segment.</summary>
    public long End => Offset + Length;
}
