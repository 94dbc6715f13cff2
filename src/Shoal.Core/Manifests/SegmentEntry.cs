using Shoal.Core.Content;
using Shoal.Core.Integrity;

namespace Shoal.Core.Manifests;

/// <summary>One segment as the manifest lists it: enough for any node to fetch it from the origin and verify it.</summary>
/// <param name="Sequence">The segment's sequence number (media sequence for HLS/DASH, slice index otherwise).</param>
/// <param name="Uri">Where the origin serves it: a URL or a path relative to the resource's URL.</param>
/// <param name="Offset">Byte offset in the resource's byte stream, for files and FLV slices; null for HLS/DASH.</param>
/// <param name="Length">Bytes in the segment (at most 16 MiB).</param>
/// <param name="Duration">Media time covered, for media segments; null for plain files.</param>
/// <param name="Root">The Merkle root of the segment's chunks.</param>
public sealed record SegmentEntry(long Sequence, string Uri, long? Offset, long Length, TimeSpan? Duration, Digest Root)
{
    /// <summary>The pieces of this segment for a resource of <paramref name="pieceSize"/>.</summary>
    public SegmentLayout Layout(int pieceSize) => new(Length, pieceSize);

    /// <summary>Null when the entry obeys the manifest rules for <paramref name="hashFunction"/>, else the reason.</summary>
    public string? Validate(MerkleHashFunction hashFunction)
    {
        if (Sequence < 0)
        {
            return $"Segment sequence {Sequence} is negative.";
        }

        if (Uri is null || System.Text.Encoding.UTF8.GetByteCount(Uri) > ushort.MaxValue)
        {
            return $"Segment {Sequence} has no URI or one longer than {ushort.MaxValue} bytes.";
        }

        if (Offset < 0)
        {
            return $"Segment {Sequence} has the negative offset {Offset}.";
        }

        if (Length < 0 || Length > ChunkAddressing.MaxSegmentLength)
        {
            return $"Segment {Sequence} is {Length} bytes; a segment is 0 to {ChunkAddressing.MaxSegmentLength}.";
        }

        if (Duration is { } duration && (duration < TimeSpan.Zero || duration.Ticks % TimeSpan.TicksPerMicrosecond != 0))
        {
            return $"Segment {Sequence} has the duration {Duration}; a duration is a whole, non-negative number of microseconds.";
        }

        var size = MerkleHash.IsSupported(hashFunction) ? MerkleHash.Size(hashFunction) : -1;
        return Root.Length != size ? $"Segment {Sequence} has a {Root.Length}-byte root; {hashFunction} roots are {size} bytes." : null;
    }
}
