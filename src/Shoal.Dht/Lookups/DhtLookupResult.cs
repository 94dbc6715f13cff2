using System.Net;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Lookups;

/// <summary>The outcome of a finished lookup, polled from <see cref="DhtNode.TryPollResult"/>.</summary>
public sealed record DhtLookupResult(
    int LookupId,
    DhtLookupKind Kind,
    NodeId Target,
    IReadOnlyList<IPEndPoint> Peers,
    IReadOnlyList<NodeInfo> ClosestNodes,
    int QueriesSent,
    int AnnouncedTo);
