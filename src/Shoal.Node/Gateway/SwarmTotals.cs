namespace Shoal.Node.Gateway;

/// <summary>The node's swarms' byte counters, summed over every swarm.</summary>
public readonly record struct SwarmTotals(long FromPeers, long FromOrigin, long Uploaded, long DeliveredFromPeers);
