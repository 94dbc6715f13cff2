using System.Text.Json.Serialization;

namespace Shoal.Core.Qos;

/// <summary>Where the bytes delivered to players came from, and what the protocol cost on top.</summary>
public sealed record ByteCounts(
    [property: JsonPropertyName("to_players")] long ToPlayers,
    [property: JsonPropertyName("from_origin")] long FromOrigin,
    [property: JsonPropertyName("from_peers")] long FromPeers,
    [property: JsonPropertyName("protocol_overhead")] long ProtocolOverhead)
{
    /// <summary>
    /// Everything the origin actually sent, prefetches and duplicates included, when it differs from the origin's
    /// share of what players received. Offload is computed from this figure where it is known, so waste is not hidden.
    /// </summary>
    [JsonPropertyName("origin_egress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OriginEgress { get; init; }
}
