using Shoal.Dht.Ids;

namespace Shoal.Dht.Routing;

/// <summary>What the routing table remembers of one node, for BEP 5's good / questionable / bad states.</summary>
internal sealed class RoutingEntry(NodeInfo node, TimeSpan now)
{
    public NodeInfo Node { get; } = node;

    public TimeSpan LastActive { get; set; } = now;

    public bool EverResponded { get; set; }

    public int Failures { get; set; }

    public bool PingInFlight { get; set; }
}
