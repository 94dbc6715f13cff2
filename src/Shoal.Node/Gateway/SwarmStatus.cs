using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>One swarm the node takes part in.</summary>
public sealed record SwarmStatus(
    [property: JsonPropertyName("rid")] string Rid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("neighbours")] IReadOnlyList<NeighbourStatus> Neighbours,
    [property: JsonPropertyName("bytes_from_peers")] long BytesFromPeers,
    [property: JsonPropertyName("bytes_to_peers")] long BytesToPeers);
