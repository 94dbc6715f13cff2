using System.Text.Json.Serialization;

namespace Shoal.Simulation.Flow;

/// <summary>How viewers arrive and how long they stay.</summary>
public sealed record ArrivalSpec
{
    /// <summary>"flash": every viewer joins uniformly within the scenario's join_spread_s; "poisson": exponential gaps over window_s.</summary>
    [JsonPropertyName("process")] public string Process { get; init; } = "flash";

    /// <summary>Poisson: the span over which the viewers arrive (defaults to the run's duration).</summary>
    [JsonPropertyName("window_s")] public double? WindowSeconds { get; init; }

    /// <summary>Mean session length (exponential); null: viewers stay to the end (or, for files, until done plus seed_for_s).</summary>
    [JsonPropertyName("session_mean_s")] public double? SessionMeanSeconds { get; init; }

    /// <summary>How long a node keeps serving after it has the whole file (files) or after its session ends (VOD: its cache).</summary>
    [JsonPropertyName("seed_for_s")] public double SeedForSeconds { get; init; } = 60;
}
