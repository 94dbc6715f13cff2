using System.Text.Json.Serialization;

namespace Shoal.Simulation.Scenarios;

/// <summary>A window during which the origin answers every request with a failure.</summary>
public sealed record OutageSpec
{
    [JsonPropertyName("start_s")] public double StartSeconds { get; init; }

    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }
}
