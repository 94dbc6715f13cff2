using System.Buffers;
using System.Security.Cryptography;
using Shoal.Core.Content;

namespace Shoal.Core.Integrity;

/// <summary>
/// The hashing rules of RFC 7574 §5.1 over 1 KiB chunks: a leaf is the hash of its chunk's bytes (the last chunk may be
/// short), an inner node is the hash of its two children's hashes concatenated, and a node that lies wholly beyond
/// the content (the padding up to a power of two) is all zeros.
/// </summary>
public static class MerkleHash
{
    // Leaf hashes of subtrees up to this many chunks live on the stack; larger subtrees rent a buffer.
    private const int StackLeafLimit = 64;

    /// <summary>Bytes in one hash of <paramref name="function"/>.</summary>
    public static int Size(MerkleHashFunction function) => function switch
    {
        MerkleHashFunction.Sha256 => SHA256.HashSizeInBytes,
        MerkleHashFunction.Sha1 => SHA1.HashSizeInBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Unsupported Merkle hash function."),
    };

    /// <summary>True for the functions Shoal implements.</summary>
    public static bool IsSupported(MerkleHashFunction function) =>
        function is MerkleHashFunction.Sha256 or MerkleHashFunction.Sha1;

    /// <summary>The leaf hash of one chunk.</summary>
    public static void HashChunk(MerkleHashFunction function, ReadOnlySpan<byte> chunk, Span<byte> destination)
    {
        if (function == MerkleHashFunction.Sha256)
        {
            SHA256.HashData(chunk, destination);
        }
        else
        {
            SHA1.HashData(chunk, destination);
        }
    }

    /// <summary>The hash of an inner node from its children's hashes (each <see cref="Size"/> bytes).</summary>
    public static void HashParent(MerkleHashFunction function, ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> pair = stackalloc byte[2 * Digest.MaxLength];
        left.CopyTo(pair);
        right.CopyTo(pair[left.Length..]);
        HashChunk(function, pair[..(left.Length + right.Length)], destination);
    }

    /// <summary>
    /// The hash of a subtree of 2^<paramref name="layer"/> chunks whose content is <paramref name="data"/>: the data may
    /// stop early (end of the segment), and the leaves past it are padding.
    /// </summary>
    public static void SubtreeRoot(MerkleHashFunction function, ReadOnlySpan<byte> data, int layer, Span<byte> destination)
    {
        var size = Size(function);
        if ((uint)layer > ChunkAddressing.SegmentSlotBits)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"A segment's tree has at most {ChunkAddressing.SegmentSlotBits} layers.");
        }

        var leafCapacity = 1 << layer;
        var chunks = (int)ChunkAddressing.ChunkCount(data.Length);
        if (chunks > leafCapacity)
        {
            throw new ArgumentException($"{data.Length} bytes do not fit in a subtree of {leafCapacity} chunks.", nameof(data));
        }

        if (chunks == 0)
        {
            destination[..size].Clear();
            return;
        }

        byte[]? rented = null;
        Span<byte> hashes = chunks <= StackLeafLimit
            ? stackalloc byte[StackLeafLimit * Digest.MaxLength]
            : (rented = ArrayPool<byte>.Shared.Rent(chunks * size));
        try
        {
            for (var i = 0; i < chunks; i++)
            {
                var start = i << ChunkAddressing.ChunkSizeBits;
                var chunk = data.Slice(start, Math.Min(ChunkAddressing.ChunkSize, data.Length - start));
                HashChunk(function, chunk, hashes.Slice(i * size, size));
            }

            Fold(function, hashes, chunks, layer, size);
            hashes[..size].CopyTo(destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // Folds `count` real hashes at the bottom of a subtree of `layers` layers, in place, to its root at hashes[0..size].
    private static void Fold(MerkleHashFunction function, Span<byte> hashes, int count, int layers, int size)
    {
        Span<byte> zero = stackalloc byte[Digest.MaxLength];
        zero.Clear();
        for (var level = 0; level < layers; level++)
        {
            var parents = (count + 1) >> 1;
            for (var p = 0; p < parents; p++)
            {
                var left = hashes.Slice(2 * p * size, size);
                var right = (2 * p) + 1 < count ? hashes.Slice(((2 * p) + 1) * size, size) : zero[..size];
                HashParent(function, left, right, hashes.Slice(p * size, size));
            }

            count = parents;
        }
    }

    /// <summary>The layer of a segment's root: the tree is padded up to the next power of two of its chunks.</summary>
    public static int RootLayer(long segmentLength)
    {
        var chunks = ChunkAddressing.ChunkCount(segmentLength);
        return chunks <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(chunks - 1));
    }

    /// <summary>The Merkle root of a whole segment.</summary>
    public static Digest SegmentRoot(MerkleHashFunction function, ReadOnlySpan<byte> segment)
    {
        if (segment.Length > ChunkAddressing.MaxSegmentLength)
        {
            throw new ArgumentException($"A segment is at most {ChunkAddressing.MaxSegmentLength} bytes.", nameof(segment));
        }

        Span<byte> root = stackalloc byte[Size(function)];
        SubtreeRoot(function, segment, RootLayer(segment.Length), root);
        return new Digest(root);
    }
}
