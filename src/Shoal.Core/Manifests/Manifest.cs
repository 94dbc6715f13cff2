using Shoal.Core.Content;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;

namespace Shoal.Core.Manifests;

/// <summary>
/// Everything a node needs to cut a resource into the same pieces as every other node and to verify them: the RID,
/// the kind, the piece and chunk sizes, the Merkle hash function and the segment list. A live manifest is one link of
/// a chain: <see cref="UpdateNumber"/> counts updates and <see cref="PreviousUpdate"/> is the SHA-256 of the previous
/// signed update (zeros for the first update and for content on demand).
/// </summary>
public sealed class Manifest
{
    /// <summary>Bytes of <see cref="PreviousUpdate"/>: a SHA-256 digest.</summary>
    public const int UpdateDigestLength = 32;

    private readonly SegmentEntry[] _segments;

    /// <summary>Creates a manifest; throws <see cref="ArgumentException"/> with the reason when a rule is broken.</summary>
    public Manifest(
        Rid rid,
        ResourceKind kind,
        IEnumerable<SegmentEntry> segments,
        int pieceSize = SegmentLayout.DefaultPieceSize,
        MerkleHashFunction hashFunction = MerkleHashFunction.Sha256,
        long updateNumber = 0,
        Digest previousUpdate = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Rid = rid;
        Kind = kind;
        PieceSize = pieceSize;
        HashFunction = hashFunction;
        UpdateNumber = updateNumber;
        PreviousUpdate = previousUpdate.IsEmpty ? Digest.Zero(UpdateDigestLength) : previousUpdate;
        _segments = [.. segments];
        if (Validate() is { } error)
        {
            throw new ArgumentException(error);
        }
    }

    public Rid Rid { get; }

    public ResourceKind Kind { get; }

    /// <summary>Bytes per piece: a power of two, at least one chunk.</summary>
    public int PieceSize { get; }

    /// <summary>Bytes per chunk: always <see cref="ChunkAddressing.ChunkSize"/> in this version.</summary>
    public int ChunkSize => ChunkAddressing.ChunkSize;

    public MerkleHashFunction HashFunction { get; }

    /// <summary>0 for content on demand; 1, 2, 3… for the updates of a live manifest.</summary>
    public long UpdateNumber { get; }

    /// <summary>SHA-256 of the previous signed update's bytes; zeros when there is none.</summary>
    public Digest PreviousUpdate { get; }

    /// <summary>The segments by increasing sequence number.</summary>
    public IReadOnlyList<SegmentEntry> Segments => _segments;

    public bool IsLiveUpdate => UpdateNumber > 0;

    /// <summary>The sum of the segments' lengths.</summary>
    public long TotalLength => _segments.Sum(s => s.Length);

    /// <summary>The segment with this sequence number, or null.</summary>
    public SegmentEntry? FindSegment(long sequence)
    {
        int low = 0, high = _segments.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var found = _segments[middle].Sequence;
            if (found == sequence)
            {
                return _segments[middle];
            }

            if (found < sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return null;
    }

    /// <summary>The piece layout of a segment of this resource.</summary>
    public SegmentLayout Layout(SegmentEntry segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Layout(PieceSize);
    }

    private string? Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            return $"Unknown resource kind {(byte)Kind}.";
        }

        if (!MerkleHash.IsSupported(HashFunction))
        {
            return $"Unsupported Merkle hash function {(byte)HashFunction}.";
        }

        if (SegmentLayout.ValidatePieceSize(PieceSize) is { } pieceError)
        {
            return pieceError;
        }

        if (UpdateNumber < 0)
        {
            return $"The update number {UpdateNumber} is negative.";
        }

        if (PreviousUpdate.Length != UpdateDigestLength)
        {
            return $"The previous-update digest is {PreviousUpdate.Length} bytes, not {UpdateDigestLength}.";
        }

        if (UpdateNumber <= 1 && !PreviousUpdate.IsZero)
        {
            return "Only a live update after the first one names a previous update.";
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment is null)
            {
                return $"Segment {i} is missing.";
            }

            if (segment.Validate(HashFunction) is { } segmentError)
            {
                return segmentError;
            }

            if (i > 0 && segment.Sequence <= _segments[i - 1].Sequence)
            {
                return $"Segment sequences must increase: {segment.Sequence} follows {_segments[i - 1].Sequence}.";
            }
        }

        return null;
    }
}
