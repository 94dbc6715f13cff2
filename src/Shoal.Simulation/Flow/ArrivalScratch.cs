using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>One worker's lists for a step's arrivals: the neighbours to withdraw from and the segments made whole.</summary>
internal sealed class ArrivalScratch
{
    /// <summary>The request book's answer for one piece, reused arrival after arrival.</summary>
    public List<NeighbourId> Asked { get; } = [];

    public List<NeighbourId> Others { get; } = [];

    public List<long> Segments { get; } = [];

    public void Clear()
    {
        Others.Clear();
        Segments.Clear();
    }
}
