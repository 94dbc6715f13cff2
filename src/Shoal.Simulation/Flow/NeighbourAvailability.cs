using Shoal.Core.Content;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The scheduler's view of what a node's neighbours hold, read straight from their holdings instead of from HAVE
/// messages (the flow model has no messages): what a neighbour holds is known the moment it holds it. The neighbour
/// list is snapshotted once per planning pass (<see cref="Prepare"/>), because rarity is asked for every candidate piece.
/// </summary>
internal sealed class NeighbourAvailability(FlowNode self, FlowNode[] nodes) : IPieceAvailability
{
    private NodeHoldings?[] _holdings = new NodeHoldings?[8];
    private int _count;

    /// <summary>Takes the node's current neighbours for the pass about to run.</summary>
    public void Prepare()
    {
        if (_holdings.Length < self.Links.Count) _holdings = new NodeHoldings?[self.Links.Count * 2];
        _count = 0;
        var resource = self.Holdings!.Resource;
        foreach (var index in self.Links.Keys)
        {
            var node = nodes[index];
            _holdings[_count++] = node.Online && node.Holdings is { } h && h.Resource == resource ? h : null;
        }
    }

    public bool Has(NeighbourId neighbour, PieceId key)
    {
        var node = nodes[neighbour.Value - 1];
        return node.Online && node.Holdings is { } holdings && holdings.Resource == self.Holdings!.Resource && holdings.Has(key);
    }

    public int HolderCount(PieceId key)
    {
        var count = 0;
        for (var i = 0; i < _count; i++)
            if (_holdings[i]?.Has(key) == true) count++;
        return count;
    }
}
