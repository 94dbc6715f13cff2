using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shoal.Simulation.Reporting;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>A flow-level run: the same <see cref="ScenarioResult"/> the packet simulator gives, its time series, and how fast it ran.</summary>
public sealed record FlowRunResult
{
    public required ScenarioResult Result { get; init; }

    public required SimulationSeries Series { get; init; }

    /// <summary>Events handled: flow completions, scheduled events (joins, leaves, segment ends, maintenance) and scheduler passes.</summary>
    public required long Events { get; init; }

    public required double WallSeconds { get; init; }

    public double EventsPerSecond => WallSeconds > 0 ? Events / WallSeconds : 0;

    /// <summary>CPU time the process used (all threads), in seconds: against <see cref="WallSeconds"/>, how many cores the run kept busy.</summary>
    public double CpuSeconds { get; init; }

    /// <summary>Time the garbage collector paused the process, in seconds.</summary>
    public double GcPauseSeconds { get; init; }

    /// <summary>Bytes allocated over the process's life, in MiB (what the collector had to clear up).</summary>
    public double AllocatedMib { get; init; }

    /// <summary>The process's peak resident memory (Linux VmHWM) when the run ended.</summary>
    public required long PeakMemoryBytes { get; init; }

    /// <summary>The origin's busiest second, in Mbit/s.</summary>
    public required double OriginPeakMbps { get; init; }

    public required int Sessions { get; init; }

    /// <summary>Players that started (one per session that got its first segment).</summary>
    public int Startups { get; init; }

    /// <summary>Live players that fell out of the playlist window and jumped to the live start position.</summary>
    public int LiveJumps { get; init; }

    /// <summary>Seeks that completed.</summary>
    public int Seeks { get; init; }

    public string? UploadSource { get; init; }

    /// <summary>Where the wall time went (null for a result not produced by a run, e.g. in a test).</summary>
    public FlowRunPhases? Phases { get; init; }

    public string ToJson()
    {
        var node = JsonNode.Parse(Result.ToJson())!.AsObject();
        node["model"] = "flow";
        node["origin_peak_mbps"] = Math.Round(OriginPeakMbps, 2);
        node["sessions"] = Sessions;
        node["live_jumps"] = LiveJumps;
        node["run"] = new JsonObject
        {
            ["events"] = Events,
            ["wall_s"] = Math.Round(WallSeconds, 2),
            ["events_per_s"] = Math.Round(EventsPerSecond),
            ["cpu_s"] = Math.Round(CpuSeconds, 2),
            ["gc_pause_s"] = Math.Round(GcPauseSeconds, 2),
            ["allocated_mib"] = Math.Round(AllocatedMib),
            ["peak_memory_mib"] = Math.Round(PeakMemoryBytes / 1048576.0, 1),
        };
        if (Phases is not null) node["run"]!["phases"] = Phases.ToJson();
        if (UploadSource is not null) node["upload_source"] = UploadSource;
        if (Series.LagSweep.Count > 0)
        {
            // NaN (no bytes reached a player at that lag) has no JSON form: null says "not measured".
            static JsonNode? Figure(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;
            var sweep = new JsonArray();
            foreach (var point in Series.LagSweep)
                sweep.Add(new JsonObject
                {
                    ["lag_s"] = point.LagSeconds,
                    ["offload"] = Figure(point.Offload, 4),
                    ["offload_bound"] = Figure(point.OffloadBound, 4),
                    ["stall_s_per_30min"] = Figure(point.StallSecondsPer30Min, 3),
                });
            node["offload_vs_lag"] = sweep;
        }
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public string ToTable()
    {
        var table = new StringBuilder(Result.ToTable());
        void Row(string name, string value) => table.Append(CultureInfo.InvariantCulture, $"  {name,-26}{value}\n");
        Row("origin peak", string.Create(CultureInfo.InvariantCulture, $"{OriginPeakMbps:0.0} Mbit/s"));
        Row("sessions", Sessions.ToString(CultureInfo.InvariantCulture));
        Row("jumps back to live", LiveJumps.ToString(CultureInfo.InvariantCulture));
        Row("simulator", string.Create(CultureInfo.InvariantCulture,
            $"flow model, {Events:N0} events in {WallSeconds:0.0} s ({EventsPerSecond:N0}/s), peak memory {PeakMemoryBytes / 1048576.0:N0} MiB"));
        Row("simulator CPU", string.Create(CultureInfo.InvariantCulture,
            $"{CpuSeconds:0.0} s ({(WallSeconds > 0 ? CpuSeconds / WallSeconds : 0):0.00} cores), GC pauses {GcPauseSeconds:0.0} s, {AllocatedMib:N0} MiB allocated"));
        if (Phases is not null) Row("simulator time", Phases.ToLine());
        if (UploadSource is not null) Row("upload distribution", UploadSource);
        return table.ToString();
    }
}
