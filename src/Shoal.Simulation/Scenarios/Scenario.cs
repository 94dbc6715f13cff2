using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shoal.Simulation.Scenarios;

/// <summary>
/// A packet-level scenario as its JSON file under scenarios/ states it: who watches what, over which links, from
/// which origin, with which joins, leaves, seeks and faults. Figures are in the file's units (seconds, kbit/s).
/// </summary>
public sealed record Scenario
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    [JsonPropertyName("name")] public string Name { get; init; } = "scenario";

    [JsonPropertyName("kind")] public ScenarioKind Kind { get; init; } = ScenarioKind.Live;

    /// <summary>Which simulator runs the file by default (<c>shoal sim --model</c> overrides it).</summary>
    [JsonPropertyName("model")] public SimulationModel Model { get; init; } = SimulationModel.Packet;

    /// <summary>The flow-level simulator's population and resolution; defaults when absent.</summary>
    [JsonPropertyName("flow")] public Flow.FlowSpec Flow { get; init; } = new();

    [JsonPropertyName("viewers")] public int Viewers { get; init; } = 50;

    /// <summary>Simulated time the scenario runs for.</summary>
    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; } = 300;

    [JsonPropertyName("stream_kbps")] public double StreamKbps { get; init; } = 2000;

    [JsonPropertyName("segment_s")] public double SegmentSeconds { get; init; } = 2;

    /// <summary>Live: how far behind the live edge viewers play.</summary>
    [JsonPropertyName("lag_s")] public double LagSeconds { get; init; } = 10;

    /// <summary>VOD: media length (defaults to the run's duration).</summary>
    [JsonPropertyName("media_s")] public double? MediaSeconds { get; init; }

    [JsonPropertyName("piece_kib")] public int PieceKib { get; init; } = 16;

    /// <summary>Viewers join at uniformly drawn times in [0, join_spread_s].</summary>
    [JsonPropertyName("join_spread_s")] public double JoinSpreadSeconds { get; init; } = 10;

    [JsonPropertyName("link")] public LinkSpec Link { get; init; } = new();

    [JsonPropertyName("origin")] public OriginSpec Origin { get; init; } = new();

    [JsonPropertyName("churn")] public ChurnSpec? Churn { get; init; }

    /// <summary>Viewers that corrupt every piece they upload.</summary>
    [JsonPropertyName("polluters")] public int Polluters { get; init; }

    [JsonPropertyName("super_peers")] public int SuperPeers { get; init; }

    /// <summary>VOD: seeks per viewer, at uniformly drawn times to uniformly drawn positions.</summary>
    [JsonPropertyName("seeks_per_viewer")] public int SeeksPerViewer { get; init; }

    /// <summary>File: its size.</summary>
    [JsonPropertyName("file_mib")] public double FileMib { get; init; } = 64;

    /// <summary>File: the segment (slice) size.</summary>
    [JsonPropertyName("file_segment_mib")] public double FileSegmentMib { get; init; } = 4;

    /// <summary>File: the rate that sets download deadlines (how fast a node wants the file).</summary>
    [JsonPropertyName("file_rate_kbps")] public double FileRateKbps { get; init; } = 4000;

    /// <summary>Peers the tracker hands a joining viewer.</summary>
    [JsonPropertyName("tracker_peers")] public int TrackerPeers { get; init; } = 30;

    [JsonPropertyName("max_neighbours")] public int MaxNeighbours { get; init; } = 20;

    /// <summary>The share of player bytes the origin may serve through non-urgent fetches (1 = no limit).</summary>
    [JsonPropertyName("origin_share_limit")] public double OriginShareLimit { get; init; } = 1.0;

    [JsonPropertyName("seed")] public int Seed { get; init; } = 1;

    /// <summary>Reads a scenario file; false with a one-line reason when it is not valid.</summary>
    public static bool TryLoad(string path, out Scenario scenario, out string error)
    {
        scenario = new Scenario();
        try
        {
            var parsed = JsonSerializer.Deserialize<Scenario>(File.ReadAllText(path), JsonOptions);
            if (parsed is null)
            {
                error = $"{path}: empty scenario.";
                return false;
            }
            if (parsed.Validate() is { } invalid)
            {
                error = $"{path}: {invalid}";
                return false;
            }
            scenario = parsed;
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error = $"{path}: {e.Message}";
            return false;
        }
    }

    /// <summary>Null when the scenario can run, else why not.</summary>
    public string? Validate() =>
        Viewers < 1 ? "viewers must be at least 1."
        : DurationSeconds <= 0 ? "duration_s must be positive."
        : StreamKbps <= 0 ? "stream_kbps must be positive."
        : SegmentSeconds <= 0 ? "segment_s must be positive."
        : LagSeconds < 0 ? "lag_s must not be negative."
        : PieceKib is < 1 or > 1024 || (PieceKib & (PieceKib - 1)) != 0 ? "piece_kib must be a power of two from 1 to 1024."
        : StreamKbps / 8 * SegmentSeconds * 1000 > 16 << 20 ? "a segment (stream_kbps × segment_s) must stay under 16 MiB."
        : FileSegmentMib is <= 0 or > 16 ? "file_segment_mib must be in (0, 16]."
        : Polluters < 0 || Polluters >= Viewers ? "polluters must be fewer than viewers."
        : Link.UpKbps <= 0 || Link.DownKbps <= 0 ? "link rates must be positive."
        : Link.Loss is < 0 or >= 1 ? "link loss must be in [0, 1)."
        : Origin.CapacityKbps <= 0 ? "origin capacity must be positive."
        : Churn is { Fraction: < 0 or > 1 } ? "churn fraction must be in [0, 1]."
        : Flow.Validate();
}
