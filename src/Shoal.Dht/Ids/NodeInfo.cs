using System.Net;

namespace Shoal.Dht.Ids;

/// <summary>A DHT node as other nodes learn it: its id and its UDP endpoint (BEP 5 "compact node info").</summary>
public readonly record struct NodeInfo(NodeId Id, IPEndPoint EndPoint);
