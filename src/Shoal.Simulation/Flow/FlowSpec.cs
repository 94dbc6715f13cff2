using System.Text.Json.Serialization;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The flow-level part of a scenario file (<c>"flow": { ... }</c>): the population (heterogeneous uploads, NAT, super
/// peers' capacity, arrivals, a VOD catalogue) and the simulator's own resolution. Absent fields take the defaults
/// here, and a scenario written for the packet simulator runs unchanged (for calibration).
/// </summary>
public sealed record FlowSpec
{
    /// <summary>The fluid network advances in steps of this length; flow completions are resolved to a step.</summary>
    [JsonPropertyName("step_ms")] public double StepMs { get; init; } = 50;

    /// <summary>Each viewer's scheduler runs at least this often.</summary>
    [JsonPropertyName("plan_tick_ms")] public double PlanTickMs { get; init; } = 500;

    /// <summary>... and at most this often, however many pieces arrive (the engine's MinimumPlanInterval).</summary>
    [JsonPropertyName("plan_min_ms")] public double PlanMinMs { get; init; } = 100;

    /// <summary>Time-series sample interval (CSV and plots).</summary>
    [JsonPropertyName("sample_s")] public double SampleSeconds { get; init; } = 5;

    /// <summary>Upload capacity classes; empty means every viewer has the scenario's link.up_kbps.</summary>
    [JsonPropertyName("upload_classes")] public IReadOnlyList<UploadClass> UploadClasses { get; init; } = [];

    /// <summary>Where <see cref="UploadClasses"/> come from (printed with the report).</summary>
    [JsonPropertyName("upload_source")] public string? UploadSource { get; init; }

    [JsonPropertyName("super_peer_up_kbps")] public double SuperPeerUpKbps { get; init; } = 100_000;

    [JsonPropertyName("nat")] public NatSpec Nat { get; init; } = new();

    [JsonPropertyName("arrivals")] public ArrivalSpec Arrivals { get; init; } = new();

    [JsonPropertyName("catalogue")] public CatalogueSpec Catalogue { get; init; } = new();

    /// <summary>Latency model: RTT = access_ms + distance on a unit square × span_ms (documented in docs/architecture.md).</summary>
    [JsonPropertyName("rtt_access_ms")] public double? RttAccessMs { get; init; }

    [JsonPropertyName("rtt_span_ms")] public double RttSpanMs { get; init; }

    /// <summary>
    /// Whether origin bytes cross the viewer's downlink (true, the realistic default). False reproduces the packet
    /// simulator's simplification (origin responses arrive after latency and the origin's own queue only), for calibration.
    /// </summary>
    [JsonPropertyName("origin_via_downlink")] public bool OriginViaDownlink { get; init; } = true;

    /// <summary>How often a viewer with room for more neighbours announces again to the tracker.</summary>
    [JsonPropertyName("reannounce_s")] public double ReannounceSeconds { get; init; } = 30;

    /// <summary>Null when the spec can run, else why not.</summary>
    public string? Validate() =>
        StepMs is < 1 or > 1000 ? "flow.step_ms must be in [1, 1000]."
        : PlanTickMs < StepMs || PlanMinMs < StepMs || PlanMinMs > PlanTickMs ? "flow.plan_min_ms ≤ flow.plan_tick_ms, both at least flow.step_ms."
        : SampleSeconds <= 0 ? "flow.sample_s must be positive."
        : UploadClasses.Any(c => c.Share < 0 || c.UpKbps < 0) ? "flow.upload_classes need non-negative shares and rates."
        : UploadClasses.Count > 0 && Math.Abs(UploadClasses.Sum(c => c.Share) - 1) > 1e-6 ? "flow.upload_classes shares must add up to 1."
        : Nat.NoInbound is < 0 or > 1 || Nat.BlockedPairs is < 0 or > 1 ? "flow.nat shares must be in [0, 1]."
        : Arrivals.Process is not ("flash" or "poisson") ? "flow.arrivals.process must be \"flash\" or \"poisson\"."
        : Arrivals.SessionMeanSeconds is <= 0 ? "flow.arrivals.session_mean_s must be positive."
        : Catalogue.Titles < 1 ? "flow.catalogue.titles must be at least 1."
        : null;
}
