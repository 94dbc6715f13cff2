using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>
/// DESIGN.md's byte counts: to players, from the origin, from peers, from the node's own store, uploaded to peers, and of
/// the bytes delivered to players how many came from peers and how many from the origin (the rest from the store).
/// </summary>
public sealed record TrafficTotals(
    [property: JsonPropertyName("bytes_to_players")] long BytesToPlayers,
    [property: JsonPropertyName("bytes_from_origin")] long BytesFromOrigin,
    [property: JsonPropertyName("bytes_from_peers")] long BytesFromPeers,
    [property: JsonPropertyName("bytes_from_store")] long BytesFromStore,
    [property: JsonPropertyName("bytes_uploaded")] long BytesUploaded,
    [property: JsonPropertyName("delivered_from_peers")] long DeliveredFromPeers,
    [property: JsonPropertyName("delivered_from_origin")] long DeliveredFromOrigin);
