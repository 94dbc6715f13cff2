using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>One neighbour in a swarm, as the dashboard lists it.</summary>
public sealed record NeighbourStatus(
    [property: JsonPropertyName("endpoint")] string Endpoint,
    [property: JsonPropertyName("super")] bool Super,
    [property: JsonPropertyName("rtt_ms")] double? RttMilliseconds,
    [property: JsonPropertyName("bytes_from")] long BytesFrom,
    [property: JsonPropertyName("bytes_to")] long BytesTo);
