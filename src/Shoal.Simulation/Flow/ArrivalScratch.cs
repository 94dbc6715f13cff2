using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>One worker's lists for a step's arrivals: the neighbours to withdraw from, the segments made whole, the flows to start.</summary>
internal sealed class ArrivalScratch
{
    /// <summary>The request book's answer for one piece, reused arrival after arrival.</summary>
    public List<NeighbourId> Asked { get; } = [];

    public List<NeighbourId> Others { get; } = [];

    public List<long> Segments { get; } = [];

    /// <summary>The flows that senders' queues moved on to, started once the phase is over.</summary>
    public List<Transfer> ToStart { get; } = [];

    public void Clear()
    {
        ToStart.Clear();
        Others.Clear();
        Segments.Clear();
    }
}
