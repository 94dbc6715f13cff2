using System.Text.Json.Serialization;

namespace Shoal.Simulation.Scenarios;

/// <summary>Viewers that leave and come back: which share, when they leave, how long they stay away.</summary>
public sealed record ChurnSpec
{
    [JsonPropertyName("fraction")] public double Fraction { get; init; }

    /// <summary>Each churning viewer leaves once at a uniformly drawn time in [from, to] seconds.</summary>
    [JsonPropertyName("leave_from_s")] public double LeaveFromSeconds { get; init; } = 30;

    [JsonPropertyName("leave_to_s")] public double LeaveToSeconds { get; init; } = 200;

    [JsonPropertyName("away_s")] public double AwaySeconds { get; init; } = 10;
}
