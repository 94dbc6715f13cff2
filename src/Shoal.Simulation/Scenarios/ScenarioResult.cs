using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shoal.Core.Qos;

namespace Shoal.Simulation.Scenarios;

/// <summary>
/// What one run of a scenario measured: the QoS report of DESIGN.md, and the scenario-specific figures beside it
/// (file completion times, polluters banned, the trace hash that identifies the exact history).
/// </summary>
public sealed record ScenarioResult
{
    public required QosReport Report { get; init; }

    public required int Seed { get; init; }

    /// <summary>File scenarios: seconds from joining to holding the whole file, per node that finished.</summary>
    public Percentiles? CompletionSeconds { get; init; }

    /// <summary>How many nodes finished the file out of how many sessions.</summary>
    public int Completed { get; init; }

    public int Polluters { get; init; }

    /// <summary>Polluters banned by at least one honest viewer.</summary>
    public int PollutersBanned { get; init; }

    /// <summary>Honest viewers banned by anyone: false accusations (must be 0).</summary>
    public int HonestPeersBanned { get; init; }

    public long OriginRequests { get; init; }

    public long OriginFailures { get; init; }

    public long PiecesLate { get; init; }

    public long UrgentOriginRequests { get; init; }

    public long DuplicateBytes { get; init; }

    public long BytesUploaded { get; init; }

    public long EndGameDuplicates { get; init; }

    public long RequestStalls { get; init; }

    /// <summary>Cumulative traffic every <see cref="ScenarioRunner.TrafficSampleSeconds"/> seconds of the run.</summary>
    public IReadOnlyList<TrafficSample> Traffic { get; init; } = [];

    /// <summary>
    /// The offload of the run's stretch from the last sample at or before <paramref name="seconds"/> to its end: the
    /// steady state, once a crowd that joined together has started (its start-ups all come from the origin). Null when
    /// no sample is that early or nothing was delivered since.
    /// </summary>
    public double? OffloadSince(double seconds)
    {
        if (Traffic.LastOrDefault(t => t.Seconds <= seconds) is not { } from) return null;
        var delivered = Report.Bytes.ToPlayers - from.ToPlayers;
        return delivered <= 0 ? null : 1.0 - (double)(Report.Bytes.FromOrigin - from.FromOrigin) / delivered;
    }

    /// <summary>Every stall after start-up, by start time (for checks that ask which data was missing, and when).</summary>
    public IReadOnlyList<StallRecord> StallLog { get; init; } = [];

    /// <summary>FNV-1a over every datagram delivery: equal for equal histories.</summary>
    public required ulong TraceHash { get; init; }

    public double? DistanceToBound => Report.OffloadBound - Report.Offload;

    /// <summary>
    /// The offload of the run's second half: the steady state once a crowd that joined together has started, which the
    /// whole-run figure mixes with the start-ups (they come from the origin while the swarm holds nothing).
    /// </summary>
    public double? OffloadSecondHalf => Report.DurationSeconds > 0 ? OffloadSince(Report.DurationSeconds / 2) : null;

    public string ToJson()
    {
        var node = JsonNode.Parse(Report.ToJson())!.AsObject();
        node["seed"] = Seed;
        if (DistanceToBound is { } distance) node["offload_bound_distance"] = Math.Round(distance, 4);
        if (OffloadSecondHalf is { } secondHalf) node["offload_second_half"] = Math.Round(secondHalf, 4);
        if (CompletionSeconds is { } completion)
            node["completion_s"] = JsonNode.Parse(JsonSerializer.Serialize(completion));
        if (CompletionSeconds is not null) node["completed"] = Completed;
        node["polluters"] = Polluters;
        node["polluters_banned"] = PollutersBanned;
        node["honest_peers_banned"] = HonestPeersBanned;
        node["origin_requests"] = OriginRequests;
        node["origin_failures"] = OriginFailures;
        node["pieces_late"] = PiecesLate;
        node["trace_hash"] = TraceHash.ToString("x16", CultureInfo.InvariantCulture);
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public string ToTable()
    {
        var table = new StringBuilder(Report.ToTable());
        void Row(string name, string value) => table.Append(CultureInfo.InvariantCulture, $"  {name,-26}{value}\n");
        if (CompletionSeconds is { } c)
            Row("file completion", string.Create(CultureInfo.InvariantCulture, $"p50 {c.P50:0.00} s  p95 {c.P95:0.00} s  ({Completed} nodes)"));
        if (Polluters > 0) Row("polluters banned", $"{PollutersBanned} of {Polluters} (honest peers banned: {HonestPeersBanned})");
        if (OffloadSecondHalf is { } half) Row("offload, second half", string.Create(CultureInfo.InvariantCulture, $"{half * 100:0.0} %"));
        Row("origin requests", $"{OriginRequests} ({OriginFailures} failed)");
        Row("origin requests urgent", UrgentOriginRequests.ToString(CultureInfo.InvariantCulture));
        Row("pieces late", PiecesLate.ToString(CultureInfo.InvariantCulture));
        Row("request stalls", RequestStalls.ToString(CultureInfo.InvariantCulture));
        Row("end-game duplicates", EndGameDuplicates.ToString(CultureInfo.InvariantCulture));
        Row("bytes uploaded", BytesUploaded.ToString("N0", CultureInfo.InvariantCulture));
        Row("duplicate bytes", DuplicateBytes.ToString("N0", CultureInfo.InvariantCulture));
        Row("seed / trace", $"{Seed} / {TraceHash:x16}");
        return table.ToString();
    }
}
