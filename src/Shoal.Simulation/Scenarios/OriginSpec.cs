using System.Text.Json.Serialization;

namespace Shoal.Simulation.Scenarios;

/// <summary>The origin (CDN) in a scenario file: its total capacity, latency and outages.</summary>
public sealed record OriginSpec
{
    /// <summary>The origin's total serving capacity, shared by every request in arrival order.</summary>
    [JsonPropertyName("capacity_kbps")] public double CapacityKbps { get; init; } = 1_000_000;

    /// <summary>Time to first byte of every request.</summary>
    [JsonPropertyName("latency_ms")] public double LatencyMs { get; init; } = 50;

    /// <summary>How long a request takes to fail during an outage.</summary>
    [JsonPropertyName("failure_ms")] public double FailureMs { get; init; } = 1000;

    [JsonPropertyName("outages")] public IReadOnlyList<OutageSpec> Outages { get; init; } = [];
}
