using System.Numerics;

namespace Shoal.Simulation.Flow;

/// <summary>
/// Every node's held pieces in one array, node after node: a ring of per-segment cells, each the segment's sequence
/// number (plus one; zero is an empty cell) followed by its bitmap. A planning pass reads its neighbours' cells for the
/// segments it looks at; kept together, that read is one or two cache lines per neighbour instead of a walk over three
/// objects per neighbour scattered across the heap, which at 10,000 nodes was the largest cost of a pass.
/// </summary>
internal sealed class HoldingsPool
{
    private readonly ulong[] _cells;
    private readonly short[] _held;
    private readonly int[] _resourceOf;

    /// <param name="nodes">How many nodes there are.</param>
    /// <param name="slots">Segments each node's ring keeps (rounded up to a power of two).</param>
    /// <param name="words">64-bit words in one segment's bitmap.</param>
    public HoldingsPool(int nodes, int slots, int words)
    {
        Slots = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, slots));
        Words = words;
        CellLength = 1 + words;
        var cells = (long)nodes * Slots * CellLength;
        if (cells > Array.MaxLength)
            throw new ScenarioTooLargeException(
                $"{nodes:N0} nodes × {Slots:N0} segments each are more pieces than one run can track; use fewer viewers or a shorter title.");
        _cells = new ulong[cells];
        _held = new short[(long)nodes * Slots];
        _resourceOf = new int[nodes];
        Array.Fill(_resourceOf, -1);
    }

    public int Slots { get; }

    public int Words { get; }

    public int CellLength { get; }

    public ulong[] Cells => _cells;

    public short[] Held => _held;

    /// <summary>The resource a node holds pieces of in its current session, or −1 while it is offline.</summary>
    public int ResourceOf(int node) => _resourceOf[node];

    /// <summary>Empties a node's ring for a new session of <paramref name="resource"/> (−1: the node left).</summary>
    public void Reset(int node, int resource)
    {
        _resourceOf[node] = resource;
        Array.Clear(_cells, node * Slots * CellLength, Slots * CellLength);
        Array.Clear(_held, node * Slots, Slots);
    }

    /// <summary>The node left: nobody reads its ring until its next session resets it.</summary>
    public void Release(int node) => _resourceOf[node] = -1;

    public bool Has(int node, Shoal.Core.Content.PieceId key)
    {
        var cell = CellOf(node, key.SegmentSequence);
        return _cells[cell] == (ulong)key.SegmentSequence + 1 && (_cells[cell + 1 + (key.PieceIndex >> 6)] & (1UL << key.PieceIndex)) != 0;
    }

    /// <summary>A node's bitmap of a segment, a bit per piece; empty when it holds none of it.</summary>
    public ReadOnlySpan<ulong> WordsOf(int node, long segment)
    {
        var cell = CellOf(node, segment);
        return _cells[cell] == (ulong)segment + 1 ? _cells.AsSpan(cell + 1, Words) : [];
    }

    /// <summary>Where a node's cell for a segment starts (its sequence word).</summary>
    public int CellOf(int node, long segment) => ((node * Slots) + (int)(segment & (Slots - 1))) * CellLength;
}
