using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>Who this node is and how it is set up.</summary>
public sealed record NodeDescription(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("gateway")] string Gateway,
    [property: JsonPropertyName("udp_port")] int? UdpPort,
    [property: JsonPropertyName("tracker")] string? Tracker,
    [property: JsonPropertyName("super_peer")] bool SuperPeer,
    [property: JsonPropertyName("segment_source")] string SegmentSource,
    [property: JsonPropertyName("live_lag_s")] double LiveLagSeconds);
