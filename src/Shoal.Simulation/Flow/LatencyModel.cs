namespace Shoal.Simulation.Flow;

/// <summary>
/// Round-trip times from a simple geometric model: every node sits at a seeded random point of a unit square (a map);
/// the RTT between two nodes is a fixed access part plus their distance times a span, so nearby nodes see short RTTs
/// and the farthest pairs access + 1.41 × span. With span 0 every pair sees the same RTT (the packet simulator's model).
/// </summary>
internal sealed class LatencyModel(double accessMs, double spanMs)
{
    public TimeSpan Rtt(FlowNode a, FlowNode b)
    {
        var dx = a.X - b.X;
        var dy = a.Y - b.Y;
        return TimeSpan.FromMilliseconds(accessMs + (spanMs * Math.Sqrt((dx * dx) + (dy * dy))));
    }
}
