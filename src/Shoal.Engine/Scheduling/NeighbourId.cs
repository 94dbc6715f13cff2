namespace Shoal.Engine.Scheduling;

/// <summary>The swarm's local handle for one neighbour; the swarm maps it to the peer's address.</summary>
public readonly record struct NeighbourId(int Value)
{
    public override string ToString() => $"n{Value}";
}
