using System.Text.Json.Serialization;

namespace Shoal.Simulation.Scenarios;

/// <summary>A viewer's access link in a scenario file: rates, round-trip time to other viewers, loss.</summary>
public sealed record LinkSpec
{
    [JsonPropertyName("up_kbps")] public double UpKbps { get; init; } = 3000;

    [JsonPropertyName("down_kbps")] public double DownKbps { get; init; } = 20000;

    /// <summary>Round-trip time between two viewers (each direction of each access link carries a quarter).</summary>
    [JsonPropertyName("rtt_ms")] public double RttMs { get; init; } = 40;

    [JsonPropertyName("loss")] public double Loss { get; init; }

    [JsonPropertyName("jitter_ms")] public double JitterMs { get; init; }
}
