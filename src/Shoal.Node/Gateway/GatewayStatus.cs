using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>The JSON body of <c>/api/status</c>: what a dashboard or an operator needs to see at a glance.</summary>
public sealed record GatewayStatus(
    [property: JsonPropertyName("node")] NodeDescription Node,
    [property: JsonPropertyName("swarms")] IReadOnlyList<SwarmStatus> Swarms,
    [property: JsonPropertyName("neighbours")] int Neighbours,
    [property: JsonPropertyName("offload")] double? Offload,
    [property: JsonPropertyName("bytes")] ByteCounts Bytes,
    [property: JsonPropertyName("buffer")] BufferStatus Buffer,
    [property: JsonPropertyName("qos")] QosCounts Qos);
