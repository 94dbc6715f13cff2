using System.Text.Json.Serialization;

namespace Shoal.Node.Origin;

/// <summary>The JSON body of the origin's <c>/stats</c>.</summary>
public sealed record OriginStatsView(
    [property: JsonPropertyName("bytes_served")] long BytesServed,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("live_segment_bytes")] long LiveSegmentBytes,
    [property: JsonPropertyName("live_latest_sequence")] long? LiveLatestSequence,
    [property: JsonPropertyName("live_first_sequence")] long? LiveFirstSequence,
    [property: JsonPropertyName("bytes_by_agent")] IReadOnlyDictionary<string, long> BytesByAgent);
