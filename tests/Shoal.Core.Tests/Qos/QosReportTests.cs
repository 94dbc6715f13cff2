using System.Text.Json;
using Shoal.Core.Qos;

namespace Shoal.Core.Tests.Qos;

public sealed class QosReportTests
{
    private static QosReport Sample(Percentiles? seek = null) => new()
    {
        Scenario = "live-50",
        Viewers = 50,
        DurationSeconds = 300,
        StartupSeconds = new Percentiles(0.8, 1.4, 2.1),
        StallSecondsPer30Min = 0,
        StallsPer30Min = 0,
        LagBehindLiveSeconds = new Percentiles(10.2, 11.0),
        SeekSeconds = seek,
        Offload = 0.953,
        OffloadBound = 0.985,
        Bytes = new ByteCounts(1000, 47, 953, 12),
    };

    [Fact]
    public void Json_uses_the_design_keys_and_omits_figures_that_do_not_apply()
    {
        using var json = JsonDocument.Parse(Sample().ToJson());
        var root = json.RootElement;

        string[] expected =
        [
            "scenario", "viewers", "duration_s", "startup_s", "stall_s_per_30min", "stalls_per_30min",
            "lag_behind_live_s", "offload", "offload_bound", "bytes", "corrupt_bytes_delivered",
        ];
        Assert.Equal(expected.Order(), root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(2.1, root.GetProperty("startup_s").GetProperty("p99").GetDouble());
        Assert.False(root.GetProperty("lag_behind_live_s").TryGetProperty("p99", out _));
        Assert.Equal(953, root.GetProperty("bytes").GetProperty("from_peers").GetInt64());
    }

    [Fact]
    public void Json_round_trips()
    {
        var report = Sample(new Percentiles(0.4, 0.9));
        var back = QosReport.FromJson(report.ToJson());
        Assert.NotNull(back);
        Assert.Equal(report.Bytes, back.Bytes);
        Assert.Equal(report.SeekSeconds, back.SeekSeconds);
        Assert.Equal(report.Offload, back.Offload);
    }

    [Fact]
    public void Percentiles_use_nearest_rank()
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();
        var p = Percentiles.Of(samples);
        Assert.NotNull(p);
        Assert.Equal(50, p.P50);
        Assert.Equal(95, p.P95);
        Assert.Equal(99, p.P99);
    }

    [Fact]
    public void Percentiles_of_nothing_are_absent_not_zero() => Assert.Null(Percentiles.Of([]));

    [Theory]
    [InlineData(0, 1000, 1.0)]
    [InlineData(1000, 1000, 0.0)]
    [InlineData(50, 1000, 0.95)]
    public void Offload_is_one_minus_origin_share(long origin, long delivered, double expected) =>
        Assert.Equal(expected, QosReport.OffloadOf(origin, delivered)!.Value, 9);

    [Fact]
    public void Offload_of_nothing_delivered_is_absent() => Assert.Null(QosReport.OffloadOf(0, 0));

    [Fact]
    public void Stall_time_scales_to_thirty_minutes() =>
        Assert.Equal(3.0, QosReport.PerThirtyMinutes(1.0, 600)!.Value, 9);

    [Fact]
    public void Table_names_every_figure()
    {
        var table = Sample().ToTable();
        Assert.Contains("start-up", table, StringComparison.Ordinal);
        Assert.Contains("p95 1.40 s", table, StringComparison.Ordinal);
        Assert.Contains("95.3 %", table, StringComparison.Ordinal);
        Assert.Contains("seek", table, StringComparison.Ordinal);
    }
}
