using Shoal.Core.Content;

namespace Shoal.Core.Integrity;

/// <summary>
/// Computes a segment's Merkle root while its bytes stream past (from the origin, a file or a live FLV stream),
/// holding one partial chunk and the leaf hashes, never the segment itself.
/// </summary>
public sealed class SegmentHasher
{
    private readonly MerkleHashFunction _function;
    private readonly int _size;
    private readonly byte[] _partial = new byte[ChunkAddressing.ChunkSize];
    private byte[] _leaves;
    private int _partialLength;
    private int _leafCount;

    public SegmentHasher(MerkleHashFunction function = MerkleHashFunction.Sha256)
    {
        _function = function;
        _size = MerkleHash.Size(function);
        _leaves = new byte[16 * _size];
    }

    /// <summary>Bytes appended since the last <see cref="Finish"/>.</summary>
    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Length + data.Length > ChunkAddressing.MaxSegmentLength)
        {
            throw new InvalidOperationException($"A segment is at most {ChunkAddressing.MaxSegmentLength} bytes.");
        }

        Length += data.Length;
        if (_partialLength > 0)
        {
            var taken = Math.Min(data.Length, ChunkAddressing.ChunkSize - _partialLength);
            data[..taken].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += taken;
            data = data[taken..];
            if (_partialLength < ChunkAddressing.ChunkSize)
            {
                return;
            }

            AddLeaf(_partial);
            _partialLength = 0;
        }

        while (data.Length >= ChunkAddressing.ChunkSize)
        {
            AddLeaf(data[..ChunkAddressing.ChunkSize]);
            data = data[ChunkAddressing.ChunkSize..];
        }

        data.CopyTo(_partial);
        _partialLength = data.Length;
    }

    /// <summary>The root of the bytes appended so far; the hasher then starts a new segment.</summary>
    public Digest Finish()
    {
        if (_partialLength > 0)
        {
            AddLeaf(_partial.AsSpan(0, _partialLength));
        }

        var layer = MerkleHash.RootLayer(Length);
        var count = _leafCount;
        Span<byte> zero = stackalloc byte[_size];
        zero.Clear();
        var hashes = _leaves.AsSpan();
        for (var level = 0; level < layer; level++)
        {
            var parents = (count + 1) >> 1;
            for (var p = 0; p < parents; p++)
            {
                var right = (2 * p) + 1 < count ? hashes.Slice(((2 * p) + 1) * _size, _size) : zero;
                MerkleHash.HashParent(_function, hashes.Slice(2 * p * _size, _size), right, hashes.Slice(p * _size, _size));
            }

            count = parents;
        }

        var root = _leafCount == 0 ? Digest.Zero(_size) : new Digest(hashes[.._size]);
        _leafCount = 0;
        _partialLength = 0;
        Length = 0;
        return root;
    }

    private void AddLeaf(ReadOnlySpan<byte> chunk)
    {
        if ((_leafCount + 1) * _size > _leaves.Length)
        {
            Array.Resize(ref _leaves, _leaves.Length * 2);
        }

        MerkleHash.HashChunk(_function, chunk, _leaves.AsSpan(_leafCount * _size, _size));
        _leafCount++;
    }
}
