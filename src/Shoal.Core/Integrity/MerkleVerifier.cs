using Shoal.Core.Content;

namespace Shoal.Core.Integrity;

/// <summary>
/// Checks received chunks against a segment's signed Merkle root using only the chunks themselves and their uncle
/// hashes (RFC 7574 §5.5): nothing else about the segment needs to be held.
/// </summary>
public static class MerkleVerifier
{
    /// <summary>Verifies the whole piece <paramref name="pieceIndex"/> of a segment laid out by <paramref name="layout"/>.</summary>
    public static bool TryVerifyPiece(
        MerkleHashFunction function,
        Digest root,
        SegmentLayout layout,
        int pieceIndex,
        ReadOnlySpan<byte> piece,
        IReadOnlyList<UncleHash> uncles,
        out string error)
    {
        if ((uint)pieceIndex >= (uint)layout.PieceCount)
        {
            error = $"Piece {pieceIndex} does not exist: the segment has {layout.PieceCount} pieces.";
            return false;
        }

        var expected = layout.PieceLength(pieceIndex);
        if (piece.Length != expected)
        {
            error = $"Piece {pieceIndex} is {expected} bytes long; {piece.Length} bytes arrived.";
            return false;
        }

        return TryVerifyChunks(function, root, layout.Length, layout.PieceBin(pieceIndex).FirstChunk, piece, uncles, out error);
    }

    /// <summary>
    /// Verifies consecutive chunks starting at <paramref name="firstChunk"/> of a segment of
    /// <paramref name="segmentLength"/> bytes. The data is whole chunks, except that it may end with the segment's
    /// short last chunk.
    /// </summary>
    public static bool TryVerifyChunks(
        MerkleHashFunction function,
        Digest root,
        long segmentLength,
        long firstChunk,
        ReadOnlySpan<byte> data,
        IReadOnlyList<UncleHash> uncles,
        out string error)
    {
        ArgumentNullException.ThrowIfNull(uncles);
        if (!MerkleHash.IsSupported(function))
        {
            error = $"The Merkle hash function {function} is not supported.";
            return false;
        }

        var size = MerkleHash.Size(function);
        if (root.Length != size)
        {
            error = $"The root is {root.Length} bytes; {function} hashes are {size}.";
            return false;
        }

        if (segmentLength < 0 || segmentLength > ChunkAddressing.MaxSegmentLength)
        {
            error = $"A segment is 0 to {ChunkAddressing.MaxSegmentLength} bytes long, not {segmentLength}.";
            return false;
        }

        var chunkCount = ChunkAddressing.ChunkCount(segmentLength);
        var start = firstChunk * ChunkAddressing.ChunkSize;
        if (data.IsEmpty || firstChunk < 0 || firstChunk >= chunkCount || start + data.Length > segmentLength)
        {
            error = $"{data.Length} bytes at chunk {firstChunk} do not lie within the segment's {segmentLength} bytes.";
            return false;
        }

        if (data.Length % ChunkAddressing.ChunkSize != 0 && start + data.Length != segmentLength)
        {
            error = $"{data.Length} bytes are not whole chunks, and only the segment's last chunk may be short.";
            return false;
        }

        var range = new Range(firstChunk, firstChunk + ChunkAddressing.ChunkCount(data.Length) - 1, chunkCount);
        Span<byte> computed = stackalloc byte[size];
        if (!TryCompute(function, Bin.FromLayerOffset(MerkleHash.RootLayer(segmentLength), 0), range, data, uncles, computed, out error))
        {
            return false;
        }

        if (!computed.SequenceEqual(root.Span))
        {
            error = $"Chunks {range.First}..{range.Last} do not match the segment's Merkle root: the data or an uncle hash is wrong.";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryCompute(
        MerkleHashFunction function,
        Bin node,
        Range range,
        ReadOnlySpan<byte> data,
        IReadOnlyList<UncleHash> uncles,
        Span<byte> destination,
        out string error)
    {
        error = string.Empty;
        var contentLast = Math.Min(node.LastChunk, range.ChunkCount - 1);
        if (node.FirstChunk > contentLast)
        {
            destination.Clear();
            return true;
        }

        if (node.FirstChunk >= range.First && contentLast <= range.Last)
        {
            var offset = (int)((node.FirstChunk - range.First) * ChunkAddressing.ChunkSize);
            var length = (int)Math.Min((long)node.ChunkCount * ChunkAddressing.ChunkSize, data.Length - offset);
            MerkleHash.SubtreeRoot(function, data.Slice(offset, length), node.Layer, destination);
            return true;
        }

        if (contentLast < range.First || node.FirstChunk > range.Last)
        {
            // Indexed, not foreach: an interface enumerator would allocate for every node on the path.
            for (var i = 0; i < uncles.Count; i++)
            {
                var uncle = uncles[i];
                if (uncle.Bin == node)
                {
                    if (uncle.Hash.Length != destination.Length)
                    {
                        error = $"The uncle hash for bin {node.Value} is {uncle.Hash.Length} bytes, not {destination.Length}.";
                        return false;
                    }

                    uncle.Hash.Span.CopyTo(destination);
                    return true;
                }
            }

            error = $"The uncle hash for bin {node.Value} (chunks {node.FirstChunk}..{node.LastChunk}) is missing.";
            return false;
        }

        Span<byte> left = stackalloc byte[destination.Length];
        Span<byte> right = stackalloc byte[destination.Length];
        if (!TryCompute(function, node.Left, range, data, uncles, left, out error)
            || !TryCompute(function, node.Right, range, data, uncles, right, out error))
        {
            return false;
        }

        MerkleHash.HashParent(function, left, right, destination);
        return true;
    }

    private readonly record struct Range(long First, long Last, long ChunkCount);
}
