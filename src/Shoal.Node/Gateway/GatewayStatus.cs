using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>The JSON body of <c>/api/status</c> (read by the /ui dashboard): swarms, neighbours, offload, buffer, QoS.</summary>
public sealed record GatewayStatus(
    [property: JsonPropertyName("node")] NodeDescription Node,
    [property: JsonPropertyName("swarms")] IReadOnlyList<SwarmStatus> Swarms,
    [property: JsonPropertyName("neighbours")] int Neighbours,
    [property: JsonPropertyName("offload")] double? Offload,
    [property: JsonPropertyName("totals")] TrafficTotals Totals,
    [property: JsonPropertyName("buffer")] BufferStatus Buffer,
    [property: JsonPropertyName("qos")] QosCounts Qos,
    [property: JsonPropertyName("channels")] IReadOnlyList<ChannelStatus> Channels);
