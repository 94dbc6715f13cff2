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

    // Below this many messages, hashing one at a time beats filling the 16 lanes of the batched SHA-256.
    private const int MultiBufferThreshold = 4;

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
    /// The leaf hashes of <paramref name="data"/>'s chunks (the last may be short), written one after another into
    /// <paramref name="destination"/> (<see cref="Size"/> bytes each).
    /// </summary>
    public static void HashLeaves(MerkleHashFunction function, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var size = Size(function);
        var chunks = (int)ChunkAddressing.ChunkCount(data.Length);
        if (destination.Length < chunks * size)
        {
            throw new ArgumentException($"{chunks} leaf hashes need {chunks * size} bytes of room.", nameof(destination));
        }

        var full = data.Length >> ChunkAddressing.ChunkSizeBits;
        var done = 0;
        if (function == MerkleHashFunction.Sha256 && Sha256MultiBuffer.IsSupported)
        {
            while (full - done >= MultiBufferThreshold)
            {
                var count = Math.Min(Sha256MultiBuffer.Lanes, full - done);
                Sha256MultiBuffer.Hash(data[(done << ChunkAddressing.ChunkSizeBits)..], ChunkAddressing.ChunkSize, count, ChunkAddressing.ChunkSize, destination[(done * size)..], size);
                done += count;
            }
        }

        for (var i = done; i < chunks; i++)
        {
            var start = i << ChunkAddressing.ChunkSizeBits;
            HashChunk(function, data.Slice(start, Math.Min(ChunkAddressing.ChunkSize, data.Length - start)), destination.Slice(i * size, size));
        }
    }

    /// <summary>
    /// One layer up: the parents of <paramref name="childCount"/> consecutive child hashes, written one after another
    /// into <paramref name="parents"/> (which may be the same memory as <paramref name="children"/>). An odd last
    /// child is paired with an all-zero padding hash. Returns the number of parents.
    /// </summary>
    public static int HashLayer(MerkleHashFunction function, ReadOnlySpan<byte> children, int childCount, Span<byte> parents)
    {
        var size = Size(function);
        var parentCount = (childCount + 1) >> 1;
        var pairs = childCount >> 1;
        var done = 0;
        if (function == MerkleHashFunction.Sha256 && Sha256MultiBuffer.IsSupported)
        {
            // Reads of a batch all happen before its writes, and a batch writes below the pairs later batches read.
            while (pairs - done >= MultiBufferThreshold)
            {
                var count = Math.Min(Sha256MultiBuffer.Lanes, pairs - done);
                Sha256MultiBuffer.Hash(children[(done * 2 * size)..], 2 * size, count, 2 * size, parents[(done * size)..], size);
                done += count;
            }
        }

        Span<byte> zero = stackalloc byte[Digest.MaxLength];
        zero.Clear();
        for (var p = done; p < parentCount; p++)
        {
            var left = children.Slice(2 * p * size, size);
            var right = (2 * p) + 1 < childCount ? children.Slice(((2 * p) + 1) * size, size) : zero[..size];
            HashParent(function, left, right, parents.Slice(p * size, size));
        }

        return parentCount;
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
            HashLeaves(function, data, hashes);
            var count = chunks;
            for (var level = 0; level < layer; level++)
            {
                count = HashLayer(function, hashes, count, hashes);
            }

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
