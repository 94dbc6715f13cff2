using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>DESIGN.md's byte counts: to players, from the origin, from peers, and from the node's own store.</summary>
public sealed record ByteCounts(
    [property: JsonPropertyName("to_players")] long ToPlayers,
    [property: JsonPropertyName("from_origin")] long FromOrigin,
    [property: JsonPropertyName("from_peers")] long FromPeers,
    [property: JsonPropertyName("from_store")] long FromStore);
