namespace Shoal.Engine.Scheduling;

/// <summary>What the scheduler sees of one neighbour when it plans requests.</summary>
/// <param name="Id">The neighbour.</param>
/// <param name="Rtt">Its measured round-trip time, or null before the first sample.</param>
/// <param name="Rate">Its measured delivery rate to us in bytes per second, 0 before the first sample.</param>
/// <param name="Choking">True while it chokes us: requests would be ignored.</param>
/// <param name="Throttled">True while our hostile-peer policy suspects it: fewer requests in flight.</param>
internal readonly record struct NeighbourView(NeighbourId Id, TimeSpan? Rtt, double Rate, bool Choking, bool Throttled);
