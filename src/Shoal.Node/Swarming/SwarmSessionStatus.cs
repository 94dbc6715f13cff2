using System.Net;
using Shoal.Core.Identity;
using Shoal.Engine.Swarming;

namespace Shoal.Node.Swarming;

/// <summary>A copy of one swarm's figures at one moment, for the status page, metrics and tracker reports.</summary>
public sealed record SwarmSessionStatus(
    Rid Rid,
    Uri ResourceUrl,
    IPEndPoint LocalEndPoint,
    long BytesFromPeers,
    long BytesFromOrigin,
    long BytesUploaded,
    long DeliveredFromPeers,
    long DeliveredFromOrigin,
    long PeersBanned,
    int TrackerPeers,
    IReadOnlyList<NeighbourMetrics> Neighbours);
