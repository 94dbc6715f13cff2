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

        var whole = data.Length & ~(ChunkAddressing.ChunkSize - 1);
        if (whole > 0)
        {
            var leaves = whole >> ChunkAddressing.ChunkSizeBits;
            EnsureRoom(leaves);
            MerkleHash.HashLeaves(_function, data[..whole], _leaves.AsSpan(_leafCount * _size));
            _leafCount += leaves;
            data = data[whole..];
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
        for (var level = 0; level < layer; level++)
        {
            count = MerkleHash.HashLayer(_function, _leaves, count, _leaves);
        }

        var root = _leafCount == 0 ? Digest.Zero(_size) : new Digest(_leaves.AsSpan(0, _size));
        _leafCount = 0;
        _partialLength = 0;
        Length = 0;
        return root;
    }

    private void EnsureRoom(int leaves)
    {
        if ((_leafCount + leaves) * _size > _leaves.Length)
        {
            Array.Resize(ref _leaves, Math.Max(_leaves.Length * 2, (_leafCount + leaves) * _size));
        }
    }

    private void AddLeaf(ReadOnlySpan<byte> chunk)
    {
        EnsureRoom(1);
        MerkleHash.HashChunk(_function, chunk, _leaves.AsSpan(_leafCount * _size, _size));
        _leafCount++;
    }
}
