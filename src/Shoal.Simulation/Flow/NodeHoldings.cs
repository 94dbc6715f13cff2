using Shoal.Core.Content;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The pieces one simulated node holds in its current session: its ring in the <see cref="HoldingsPool"/>. A live node
/// keeps a sliding window, so a cell is reused by a newer segment (the old one is then forgotten, like the engine's
/// discard window); on demand the ring is as long as the resource.
/// </summary>
internal sealed class NodeHoldings : IPieceHoldings
{
    private readonly HoldingsPool _pool;
    private readonly int _node;

    /// <summary>Starts an empty session of <paramref name="resource"/> for node <paramref name="node"/>.</summary>
    public NodeHoldings(FlowResource resource, HoldingsPool pool, int node)
    {
        Resource = resource;
        _pool = pool;
        _node = node;
        pool.Reset(node, resource.Index);
    }

    public FlowResource Resource { get; }

    /// <summary>How many 64-bit words one segment's bitmap takes.</summary>
    public static int WordsPerSegment(FlowResource resource) => (resource.MaxPiecesPerSegment + 63) / 64;

    public ReadOnlySpan<ulong> WordsOf(long segment) => _pool.WordsOf(_node, segment);

    public bool Has(PieceId key) => _pool.Has(_node, key);

    public bool IsComplete(long segment)
    {
        var cell = _pool.CellOf(_node, segment);
        return _pool.Cells[cell] == (ulong)segment + 1 && _pool.Held[cell / _pool.CellLength] == Resource.PieceCount(segment);
    }

    /// <summary>Records a piece; true when it was new.</summary>
    public bool Add(PieceId key)
    {
        var cells = _pool.Cells;
        var cell = _pool.CellOf(_node, key.SegmentSequence);
        var stored = (ulong)key.SegmentSequence + 1;
        ref var held = ref _pool.Held[cell / _pool.CellLength];
        if (cells[cell] != stored)
        {
            // An older segment than the one in the cell is not worth keeping (it fell out of the window).
            if (cells[cell] > stored) return false;
            cells[cell] = stored;
            Array.Clear(cells, cell + 1, _pool.Words);
            held = 0;
        }
        ref var word = ref cells[cell + 1 + (key.PieceIndex >> 6)];
        var bit = 1UL << key.PieceIndex;
        if ((word & bit) != 0) return false;
        word |= bit;
        held++;
        return true;
    }
}
