using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shoal.Tracker.Http;

/// <summary>The JSON conventions of the /v1 API: snake_case names, nulls left out, enums as strings.</summary>
public static class ApiContracts
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Media type of a binary signed manifest (the SignedManifest envelope).</summary>
    public const string ManifestMediaType = "application/vnd.shoal.manifest";
}
