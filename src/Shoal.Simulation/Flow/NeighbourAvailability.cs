using Shoal.Core.Content;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The scheduler's view of what a node's neighbours hold, read straight from their holdings instead of from HAVE
/// messages (the flow model has no messages): what a neighbour holds is known the moment it holds it. One per planning
/// thread: <see cref="Prepare"/> copies the neighbours' bitmaps of the segments the pass looks at into one small array,
/// because rarity and holders are asked for every candidate piece and every neighbour, and chasing each neighbour's
/// holdings across the heap for each question cost more than the rest of the pass.
/// </summary>
internal sealed class NeighbourAvailability : IPieceAvailability
{
    // A download looks at every segment of its file; beyond this many the rest are read from the holdings directly.
    private const int MaxSpan = 256;

    private int[] _indices = new int[32];
    private NodeHoldings?[] _holdings = new NodeHoldings?[32];
    private ulong[] _words = new ulong[32 * 8];
    private int _count;
    private int _lastSlot;
    private long _first;
    private int _span;
    private int _wordsPerSegment;
    private FlowResource? _resource;

    /// <summary>Takes the node's current neighbours, and their pieces of segments [first, first + count), for the pass about to run.</summary>
    public void Prepare(FlowNode self, FlowNode[] nodes, long first, int count)
    {
        var links = self.Links.Count;
        if (_indices.Length < links)
        {
            _indices = new int[links * 2];
            _holdings = new NodeHoldings?[links * 2];
        }
        _resource = self.Holdings!.Resource;
        _count = 0;
        foreach (var index in self.Links.Keys)
        {
            var node = nodes[index];
            _indices[_count] = index;
            _holdings[_count++] = node.Online && node.Holdings is { } h && h.Resource == _resource ? h : null;
        }
        _lastSlot = 0;
        _first = first;
        _span = Math.Clamp(count, 0, MaxSpan);
        _wordsPerSegment = NodeHoldings.WordsPerSegment(_resource);
        var needed = _count * _span * _wordsPerSegment;
        if (_words.Length < needed) _words = new ulong[needed * 2];
        for (var slot = 0; slot < _count; slot++)
        {
            var into = _words.AsSpan(slot * _span * _wordsPerSegment, _span * _wordsPerSegment);
            if (_holdings[slot] is { } holdings)
                for (var k = 0; k < _span; k++) holdings.CopySegment(first + k, into.Slice(k * _wordsPerSegment, _wordsPerSegment));
            else into.Clear();
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
            return HasAt(slot, key);
        }
        return false;
    }

    public int HolderCount(PieceId key)
    {
        var count = 0;
        for (var slot = 0; slot < _count; slot++)
            if (HasAt(slot, key)) count++;
        return count;
    }

    private bool HasAt(int slot, PieceId key)
    {
        var offset = key.SegmentSequence - _first;
        if (offset < 0 || offset >= _span) return _holdings[slot]?.Has(key) == true;
        var word = _words[((slot * _span + (int)offset) * _wordsPerSegment) + (key.PieceIndex >> 6)];
        return (word & (1UL << key.PieceIndex)) != 0;
    }
}
