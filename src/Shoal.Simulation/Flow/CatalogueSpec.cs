using System.Text.Json.Serialization;

namespace Shoal.Simulation.Flow;

/// <summary>VOD: how many titles, how popularity falls off (Zipf), and how long each title is.</summary>
public sealed record CatalogueSpec
{
    [JsonPropertyName("titles")] public int Titles { get; init; } = 1;

    /// <summary>Zipf exponent: title k (1-based) is chosen with probability proportional to 1/k^s.</summary>
    [JsonPropertyName("zipf_s")] public double ZipfExponent { get; init; } = 0.8;
}
