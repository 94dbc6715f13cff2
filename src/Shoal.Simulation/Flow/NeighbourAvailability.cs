using Shoal.Core.Content;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The scheduler's view of what a node's neighbours hold, read straight from their holdings instead of from HAVE
/// messages (the flow model has no messages): what a neighbour holds is known the moment it holds it.
/// </summary>
internal sealed class NeighbourAvailability(FlowNode self, FlowNode[] nodes) : IPieceAvailability
{
    public bool Has(NeighbourId neighbour, PieceId key)
    {
        var node = nodes[neighbour.Value - 1];
        return node.Online && node.Holdings is { } holdings && holdings.Resource == self.Holdings!.Resource && holdings.Has(key);
    }

    public int HolderCount(PieceId key)
    {
        var count = 0;
        foreach (var index in self.Links.Keys)
            if (Has(FlowNode.IdOf(index), key)) count++;
        return count;
    }
}
