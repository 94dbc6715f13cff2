using System.Text.Json.Serialization;

namespace Shoal.Simulation.Scenarios;

/// <summary>What the viewers consume.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScenarioKind>))]
public enum ScenarioKind
{
    /// <summary>A live HLS stream that grows one segment at a time; viewers play behind the live edge.</summary>
    Live,

    /// <summary>An HLS video on demand; viewers start at the beginning and seek.</summary>
    Vod,

    /// <summary>A plain file every node downloads whole.</summary>
    File,
}
