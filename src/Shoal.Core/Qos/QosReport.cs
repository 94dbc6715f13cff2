using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shoal.Core.Qos;

/// <summary>
/// The QoS report every measuring command prints (DESIGN.md): one shape for the demo, both simulators and
/// the benchmarks, so figures from each can be compared. Seconds and bytes; a figure that does not apply is
/// null and left out of the JSON.
/// </summary>
public sealed record QosReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    [JsonPropertyName("scenario")] public required string Scenario { get; init; }
    [JsonPropertyName("viewers")] public required int Viewers { get; init; }
    [JsonPropertyName("duration_s")] public required double DurationSeconds { get; init; }
    [JsonPropertyName("startup_s")] public Percentiles? StartupSeconds { get; init; }
    [JsonPropertyName("stall_s_per_30min")] public double? StallSecondsPer30Min { get; init; }
    [JsonPropertyName("stalls_per_30min")] public double? StallsPer30Min { get; init; }
    [JsonPropertyName("lag_behind_live_s")] public Percentiles? LagBehindLiveSeconds { get; init; }
    [JsonPropertyName("seek_s")] public Percentiles? SeekSeconds { get; init; }
    [JsonPropertyName("offload")] public double? Offload { get; init; }
    [JsonPropertyName("offload_bound")] public double? OffloadBound { get; init; }
    [JsonPropertyName("bytes")] public required ByteCounts Bytes { get; init; }
    [JsonPropertyName("corrupt_bytes_delivered")] public long CorruptBytesDelivered { get; init; }

    /// <summary>1 − origin bytes / bytes delivered; null when nothing was delivered.</summary>
    public static double? OffloadOf(long fromOrigin, long toPlayers) =>
        toPlayers <= 0 ? null : 1.0 - ((double)fromOrigin / toPlayers);

    /// <summary>
    /// Seconds of stall scaled to 30 minutes of watching, the unit the PPLive figures use; null when nobody watched.
    /// </summary>
    public static double? PerThirtyMinutes(double total, double secondsWatched) =>
        secondsWatched <= 0 ? null : total * 1800.0 / secondsWatched;

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static QosReport? FromJson(string json) => JsonSerializer.Deserialize<QosReport>(json, JsonOptions);

    /// <summary>The table for people: one figure a line, seeds' bar beside it where the seeds give one.</summary>
    public string ToTable()
    {
        var table = new StringBuilder();
        void Row(string name, string value) =>
            table.Append(CultureInfo.InvariantCulture, $"  {name,-26}{value}\n");
        static string Seconds(Percentiles? p) => p is null
            ? "n/a"
            : string.Create(CultureInfo.InvariantCulture, $"p50 {p.P50:0.00} s  p95 {p.P95:0.00} s") +
              (p.P99 is { } p99 ? string.Create(CultureInfo.InvariantCulture, $"  p99 {p99:0.00} s") : string.Empty);
        static string Ratio(double? r) => r is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.0} %") : "n/a";
        static string Number(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

        table.Append(CultureInfo.InvariantCulture, $"QoS: {Scenario}, {Viewers} viewers, {DurationSeconds:0} s\n");
        Row("start-up", Seconds(StartupSeconds));
        Row("stall per 30 min", StallSecondsPer30Min is null ? "n/a" : $"{Number(StallSecondsPer30Min)} s ({Number(StallsPer30Min)} stalls)");
        Row("lag behind live", Seconds(LagBehindLiveSeconds));
        Row("seek", Seconds(SeekSeconds));
        Row("offload", Ratio(Offload));
        Row("offload bound", OffloadBound is null ? "n/a" : $"{Ratio(OffloadBound)} (distance {Ratio(OffloadBound - Offload)})");
        Row("bytes to players", Bytes.ToPlayers.ToString("N0", CultureInfo.InvariantCulture));
        Row("bytes from origin", Bytes.FromOrigin.ToString("N0", CultureInfo.InvariantCulture));
        Row("bytes from peers", Bytes.FromPeers.ToString("N0", CultureInfo.InvariantCulture));
        Row("protocol overhead", Bytes.ProtocolOverhead.ToString("N0", CultureInfo.InvariantCulture));
        Row("corrupt bytes delivered", CorruptBytesDelivered.ToString("N0", CultureInfo.InvariantCulture));
        return table.ToString();
    }
}
