using System.Text.Json.Serialization;

namespace Shoal.Core.Qos;

/// <summary>Where the bytes delivered to players came from, and what the protocol cost on top.</summary>
public sealed record ByteCounts(
    [property: JsonPropertyName("to_players")] long ToPlayers,
    [property: JsonPropertyName("from_origin")] long FromOrigin,
    [property: JsonPropertyName("from_peers")] long FromPeers,
    [property: JsonPropertyName("protocol_overhead")] long ProtocolOverhead);
