using Shoal.Dht.Ids;

namespace Shoal.Dht.Routing;

/// <summary>One k-bucket: up to K nodes, and a few replacement candidates waiting for a bad node to leave.</summary>
internal sealed class KBucket(TimeSpan now)
{
    public List<RoutingEntry> Entries { get; } = [];

    public List<NodeInfo> Replacements { get; } = [];

    public TimeSpan LastChanged { get; set; } = now;
}
