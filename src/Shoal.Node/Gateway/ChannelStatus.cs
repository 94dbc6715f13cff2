using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>A playlist or manifest players have asked this gateway for, newest first in the status.</summary>
public sealed record ChannelStatus(
    [property: JsonPropertyName("origin_url")] string OriginUrl,
    [property: JsonPropertyName("gateway_url")] string GatewayUrl,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("live")] bool Live,
    [property: JsonPropertyName("requests")] long Requests);
