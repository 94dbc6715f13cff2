using Shoal.Core.Content;

namespace Shoal.Core.Integrity;

/// <summary>
/// The full Merkle tree of one segment (RFC 7574 §5), kept by a node that holds the whole segment so it can send the
/// uncle hashes of any piece or chunk range it serves. Nodes are numbered by RFC 7574 bins local to the segment.
/// </summary>
public sealed class MerkleTree
{
    private readonly byte[] _hashes; // indexed by bin value × hash size; padding nodes stay zero
    private readonly int _size;

    private MerkleTree(MerkleHashFunction function, long segmentLength, byte[] hashes)
    {
        Function = function;
        SegmentLength = segmentLength;
        ChunkCount = ChunkAddressing.ChunkCount(segmentLength);
        RootBin = Bin.FromLayerOffset(MerkleHash.RootLayer(segmentLength), 0);
        _hashes = hashes;
        _size = MerkleHash.Size(function);
    }

    public MerkleHashFunction Function { get; }

    public long SegmentLength { get; }

    public long ChunkCount { get; }

    /// <summary>The root's bin: layer ⌈log2(chunks)⌉, offset 0.</summary>
    public Bin RootBin { get; }

    public Digest Root => new(HashOf(RootBin));

    /// <summary>Hashes every chunk of <paramref name="segment"/> and every inner node.</summary>
    public static MerkleTree Build(MerkleHashFunction function, ReadOnlySpan<byte> segment)
    {
        if (segment.Length > ChunkAddressing.MaxSegmentLength)
        {
            throw new ArgumentException($"A segment is at most {ChunkAddressing.MaxSegmentLength} bytes.", nameof(segment));
        }

        var size = MerkleHash.Size(function);
        var layer = MerkleHash.RootLayer(segment.Length);
        var hashes = new byte[((2L << layer) - 1) * size];
        var count = (int)ChunkAddressing.ChunkCount(segment.Length);

        // Each layer is hashed contiguously (so leaves and inner nodes go through the batched hash), then scattered
        // to its bin positions: layer L, offset o lives at bin (2o + 1)·2^L − 1.
        var current = new byte[Math.Max(count, 1) * size];
        MerkleHash.HashLeaves(function, segment, current);
        for (var level = 0; ; level++)
        {
            for (var offset = 0; offset < count; offset++)
            {
                current.AsSpan(offset * size, size).CopyTo(hashes.AsSpan(checked((int)Bin.FromLayerOffset(level, offset).Value * size), size));
            }

            if (level == layer)
            {
                break;
            }

            count = MerkleHash.HashLayer(function, current, count, current);
        }

        return new MerkleTree(function, segment.Length, hashes);
    }

    /// <summary>The hash of a node of this tree (all zeros for padding).</summary>
    public ReadOnlySpan<byte> HashOf(Bin bin)
    {
        if (!RootBin.Contains(bin))
        {
            throw new ArgumentOutOfRangeException(nameof(bin), bin, $"Not a node of this segment's tree (root {RootBin}).");
        }

        return _hashes.AsSpan(checked((int)bin.Value * _size), _size);
    }

    /// <summary>The uncle hashes a receiver needs, with the bytes of piece <paramref name="pieceIndex"/>, to reach the root.</summary>
    public IReadOnlyList<UncleHash> UnclesForPiece(SegmentLayout layout, int pieceIndex)
    {
        if (layout.Length != SegmentLength)
        {
            throw new ArgumentException($"The layout is for {layout.Length} bytes; this tree covers {SegmentLength}.", nameof(layout));
        }

        var bin = layout.PieceBin(pieceIndex);
        return UnclesForChunks(bin.FirstChunk, Math.Min(bin.LastChunk, ChunkCount - 1));
    }

    /// <summary>
    /// The fewest hashes that, with the chunks <paramref name="firstChunk"/>..<paramref name="lastChunk"/>, determine
    /// the root: every maximal subtree outside the range that still holds content (padding is known to be zero).
    /// Ordered from the bottom of the tree up, as RFC 7574 §5.3 sends them.
    /// </summary>
    public IReadOnlyList<UncleHash> UnclesForChunks(long firstChunk, long lastChunk)
    {
        if (firstChunk < 0 || lastChunk < firstChunk || lastChunk >= ChunkCount)
        {
            throw new ArgumentOutOfRangeException(nameof(firstChunk), $"Chunks {firstChunk}..{lastChunk} are not within the segment's {ChunkCount} chunks.");
        }

        var uncles = new List<UncleHash>();
        Collect(RootBin, firstChunk, lastChunk, uncles);
        uncles.Sort((a, b) => a.Bin.Layer != b.Bin.Layer ? a.Bin.Layer.CompareTo(b.Bin.Layer) : a.Bin.CompareTo(b.Bin));
        return uncles;
    }

    private void Collect(Bin node, long first, long last, List<UncleHash> uncles)
    {
        var contentLast = Math.Min(node.LastChunk, ChunkCount - 1);
        if (node.FirstChunk > contentLast || (node.FirstChunk >= first && contentLast <= last))
        {
            return; // padding, or computed from the range's own chunks
        }

        if (contentLast < first || node.FirstChunk > last)
        {
            uncles.Add(new UncleHash(node, new Digest(HashOf(node))));
            return;
        }

        Collect(node.Left, first, last, uncles);
        Collect(node.Right, first, last, uncles);
    }
}
