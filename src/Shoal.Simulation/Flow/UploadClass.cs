using System.Text.Json.Serialization;

namespace Shoal.Simulation.Flow;

/// <summary>One class of the upload-capacity distribution: this share of viewers has this upstream rate.</summary>
public sealed record UploadClass
{
    [JsonPropertyName("share")] public double Share { get; init; }

    [JsonPropertyName("up_kbps")] public double UpKbps { get; init; }
}
