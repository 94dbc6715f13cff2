using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>Request-level counters of the gateway.</summary>
public sealed record QosCounts(
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("segments_served")] long SegmentsServed,
    [property: JsonPropertyName("playlists_served")] long PlaylistsServed,
    [property: JsonPropertyName("origin_errors")] long OriginErrors,
    [property: JsonPropertyName("bad_requests")] long BadRequests);
