namespace Shoal.Core.Content;

/// <summary>
/// A node of RFC 7574's binary tree over chunks (§4.2 bin numbering): leaves (chunks) are even numbers, the
/// node at layer L covering chunks [o·2^L, (o+1)·2^L) is (2o+1)·2^L − 1. Kept 64-bit so a resource-wide tree of
/// 2^32 chunks fits.
/// </summary>
public readonly record struct Bin(ulong Value) : IComparable<Bin>
{
    /// <summary>The highest layer a 64-bit bin can name.</summary>
    public const int MaxLayer = 62;

    /// <summary>The bin at <paramref name="layer"/> (0 = a chunk) with the given offset in that layer.</summary>
    public static Bin FromLayerOffset(int layer, long offset)
    {
        if ((uint)layer > MaxLayer)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"A bin's layer is 0 to {MaxLayer}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= 1L << (MaxLayer - layer))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The bin does not fit in 64 bits.");
        }

        return new Bin(((2UL * (ulong)offset) + 1UL << layer) - 1UL);
    }

    /// <summary>The leaf bin of chunk <paramref name="chunk"/>.</summary>
    public static Bin Chunk(long chunk) => FromLayerOffset(0, chunk);

    /// <summary>The layer (0 for a chunk): the number of trailing one bits.</summary>
    public int Layer => System.Numerics.BitOperations.TrailingZeroCount(~Value);

    /// <summary>The position of this bin among the bins of its layer.</summary>
    public long Offset => (long)(Value >> (Layer + 1));

    /// <summary>Chunks covered by this bin.</summary>
    public long ChunkCount => 1L << Layer;

    /// <summary>The first chunk covered.</summary>
    public long FirstChunk => Offset << Layer;

    /// <summary>The last chunk covered (inclusive).</summary>
    public long LastChunk => FirstChunk + ChunkCount - 1;

    public bool IsLeaf => (Value & 1) == 0;

    /// <summary>True for a left child (its parent lies to its right).</summary>
    public bool IsLeft => (Offset & 1) == 0;

    public Bin Parent => FromLayerOffset(Layer + 1, Offset >> 1);

    public Bin Sibling => FromLayerOffset(Layer, Offset ^ 1);

    public Bin Left => IsLeaf ? throw new InvalidOperationException("A chunk has no children.") : FromLayerOffset(Layer - 1, Offset * 2);

    public Bin Right => IsLeaf ? throw new InvalidOperationException("A chunk has no children.") : FromLayerOffset(Layer - 1, (Offset * 2) + 1);

    /// <summary>True when <paramref name="other"/> lies inside this bin's subtree (or is this bin).</summary>
    public bool Contains(Bin other) => other.Layer <= Layer && other.FirstChunk >= FirstChunk && other.LastChunk <= LastChunk;

    public int CompareTo(Bin other) => Value.CompareTo(other.Value);

    public static bool operator <(Bin left, Bin right) => left.CompareTo(right) < 0;

    public static bool operator >(Bin left, Bin right) => left.CompareTo(right) > 0;

    public static bool operator <=(Bin left, Bin right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Bin left, Bin right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Value} (layer {Layer}, chunks {FirstChunk}..{LastChunk})";
}
