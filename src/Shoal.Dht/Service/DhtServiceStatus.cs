using System.Net;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Service;

/// <summary>A snapshot of a running <see cref="DhtService"/>'s figures, for the CLI and metrics.</summary>
public sealed record DhtServiceStatus(
    NodeId Id,
    IPEndPoint LocalEndPoint,
    int RoutingTableNodes,
    int StoredInfoHashes,
    long DatagramsReceived,
    long QueriesAnswered,
    long QueriesSent,
    long DroppedMalformed,
    long DroppedRateLimited,
    long DroppedOversized);
