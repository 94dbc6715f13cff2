using System.Numerics;
using Shoal.Core.Content;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The scheduler's view of what a node's neighbours hold, read straight from their holdings instead of from HAVE
/// messages (the flow model has no messages): what a neighbour holds is known the moment it holds it. One per planning
/// thread. Rarity and holders are asked for every candidate piece and every neighbour, so for each segment the pass
/// asks about, the neighbours' bitmaps are read once and turned into one mask per piece with a bit per neighbour:
/// a piece's holder count is then a population count and "does this neighbour hold it" one bit. Segments the pass
/// never asks about (those this node holds whole) are never read, which is most of them.
/// </summary>
internal sealed class NeighbourAvailability : IPieceAvailability
{
    // A download looks at every segment of its file; beyond this many the rest are read from the holdings directly.
    private const int MaxSpan = 256;

    // A mask has a bit per neighbour; a node with more neighbours than this reads the holdings directly.
    private const int MaxMaskedNeighbours = 64;

    private int[] _indices = new int[32];
    private bool[] _usable = new bool[32];
    private HoldingsPool? _pool;
    private ulong[] _masks = new ulong[8 * 64];
    private readonly int[] _builtInPass = new int[MaxSpan];
    private int _pass;
    private int _count;
    private int _lastSlot;
    private long _first;
    private int _span;
    private int _piecesPerSegment;
    private FlowResource? _resource;

    /// <summary>Takes the node's current neighbours, and the segments [first, first + count) the pass is about to look at.</summary>
    public void Prepare(FlowNode self, HoldingsPool pool, long first, int count)
    {
        var links = self.Links.Count;
        if (_indices.Length < links)
        {
            _indices = new int[links * 2];
            _usable = new bool[links * 2];
        }
        _pool = pool;
        _resource = self.Holdings!.Resource;
        _count = 0;
        foreach (var index in self.Links.Keys)
        {
            _indices[_count] = index;
            _usable[_count++] = pool.ResourceOf(index) == _resource.Index;
        }
        _lastSlot = 0;
        _first = first;
        _span = _count > MaxMaskedNeighbours ? 0 : Math.Clamp(count, 0, MaxSpan);
        _piecesPerSegment = _resource.MaxPiecesPerSegment;
        var needed = _span * _piecesPerSegment;
        if (_masks.Length < needed) _masks = new ulong[needed * 2];
        // A new pass number marks every segment's masks stale at once (no clearing of the array).
        if (++_pass == int.MaxValue)
        {
            Array.Clear(_builtInPass);
            _pass = 1;
        }
    }

    public bool Has(NeighbourId neighbour, PieceId key)
    {
        // The scheduler asks about its neighbours in the order the pass listed them, which is the order of the slots:
        // the search starts where the last one ended, so a sweep over all neighbours costs one step each.
        var index = neighbour.Value - 1;
        for (var i = 0; i < _count; i++)
        {
            var slot = _lastSlot + i;
            if (slot >= _count) slot -= _count;
            if (_indices[slot] != index) continue;
            _lastSlot = slot + 1 == _count ? 0 : slot + 1;
            return MaskOf(key) is { } mask ? (mask & (1UL << slot)) != 0 : _usable[slot] && _pool!.Has(index, key);
        }
        return false;
    }

    public int HolderCount(PieceId key)
    {
        if (MaskOf(key) is { } mask) return BitOperations.PopCount(mask);
        var count = 0;
        for (var slot = 0; slot < _count; slot++)
            if (_usable[slot] && _pool!.Has(_indices[slot], key)) count++;
        return count;
    }

    /// <summary>Bit i is the i-th neighbour the pass lists: both come from the link table in its order (see BuildPlan).</summary>
    public bool TryGetHolders(PieceId key, out ulong holders)
    {
        if (MaskOf(key) is { } mask)
        {
            holders = mask;
            return true;
        }
        holders = 0;
        return false;
    }

    /// <summary>The piece's holders, a bit per neighbour slot; null when the piece lies outside the pass's segments.</summary>
    private ulong? MaskOf(PieceId key)
    {
        var offset = key.SegmentSequence - _first;
        if (offset < 0 || offset >= _span || (uint)key.PieceIndex >= (uint)_piecesPerSegment) return null;
        var k = (int)offset;
        if (_builtInPass[k] != _pass) Build(k);
        return _masks[(k * _piecesPerSegment) + key.PieceIndex];
    }

    private void Build(int k)
    {
        var masks = _masks.AsSpan(k * _piecesPerSegment, _piecesPerSegment);
        masks.Clear();
        var segment = _first + k;
        for (var slot = 0; slot < _count; slot++)
        {
            if (!_usable[slot]) continue;
            var words = _pool!.WordsOf(_indices[slot], segment);
            var bit = 1UL << slot;
            for (var w = 0; w < words.Length; w++)
            {
                var bits = words[w];
                while (bits != 0)
                {
                    var piece = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    if (piece < masks.Length) masks[piece] |= bit;
                    bits &= bits - 1;
                }
            }
        }
        _builtInPass[k] = _pass;
    }
}
