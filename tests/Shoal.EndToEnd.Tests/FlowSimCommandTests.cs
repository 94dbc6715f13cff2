using System.Text.Json;

namespace Shoal.EndToEnd.Tests;

/// <summary>`shoal sim` on the flow model, as a user runs it: a shipped scenario, scaled down, with plots and a lag sweep.</summary>
public sealed class FlowSimCommandTests
{
    private static string Scenario(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "scenarios", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"scenarios/{name} not found above the test binaries.");
    }

    [Fact]
    public async Task A_scaled_down_flash_crowd_prints_its_report_and_writes_series_and_plots()
    {
        var output = Directory.CreateTempSubdirectory("shoal-sim-test-").FullName;
        await using var sim = ShoalProcess.Start(
            "sim", Scenario("live-10k.json"), "--viewers", "300", "--duration", "40", "--lags", "6,30", "--out", output, "--json");
        var exit = await sim.WaitAsync(TimeSpan.FromMinutes(4));
        Assert.True(exit == 0, $"shoal sim exited {exit}:\n{sim.Errors}");

        using var report = JsonDocument.Parse(sim.Output);
        var root = report.RootElement;
        Assert.Equal("flow", root.GetProperty("model").GetString());
        Assert.Equal(300, root.GetProperty("viewers").GetInt32());
        Assert.True(root.GetProperty("run").GetProperty("events").GetInt64() > 0);
        Assert.True(root.GetProperty("run").GetProperty("peak_memory_mib").GetDouble() > 0);
        Assert.True(root.GetProperty("run").GetProperty("cpu_s").GetDouble() > 0);
        Assert.True(root.GetProperty("run").GetProperty("allocated_mib").GetDouble() > 0);
        Assert.True(root.GetProperty("run").GetProperty("gc_pause_s").GetDouble() >= 0);
        Assert.True(root.GetProperty("offload").GetDouble() <= root.GetProperty("offload_bound").GetDouble() + 1e-9);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("upload_source").GetString()));
        var sweep = root.GetProperty("offload_vs_lag").EnumerateArray().ToList();
        Assert.Equal([6.0, 30.0], sweep.Select(p => p.GetProperty("lag_s").GetDouble()));
        Assert.All(sweep, p => Assert.InRange(p.GetProperty("offload").GetDouble(), 0, p.GetProperty("offload_bound").GetDouble() + 1e-9));

        foreach (var file in new[] { "timeseries.csv", "buffers.csv", "offload-vs-lag.csv", "offload-vs-time.png", "buffer-distribution.png", "offload-vs-lag.png" })
            Assert.True(new FileInfo(Path.Combine(output, file)).Length > 0, $"{file} missing:\n{sim.Errors}");
        var lagRows = File.ReadAllLines(Path.Combine(output, "offload-vs-lag.csv"));
        Assert.Equal(3, lagRows.Length);
        Assert.StartsWith("6,", lagRows[1], StringComparison.Ordinal);
        Assert.Contains("10 %", sim.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lags", "6,abc")]
    [InlineData("--model", "packet", "--out", "/tmp/x")]
    [InlineData("--viewers", "0")]
    public async Task Bad_arguments_get_a_one_line_reason_and_a_non_zero_exit(params string[] arguments)
    {
        await using var sim = ShoalProcess.Start(["sim", Scenario("live-10k.json"), .. arguments]);
        var exit = await sim.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, exit);
        Assert.StartsWith("shoal sim:", sim.Errors.Trim(), StringComparison.Ordinal);
        Assert.Single(sim.Errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_scenario_too_large_to_track_says_so_at_once()
    {
        // 3,000,000 viewers of 30-minute titles: more piece bitmaps than one array holds.
        await using var sim = ShoalProcess.Start("sim", Scenario("vod-10k.json"), "--viewers", "3000000");
        var exit = await sim.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, exit);
        Assert.StartsWith("shoal sim: 3,000,000 nodes", sim.Errors.Trim(), StringComparison.Ordinal);
        Assert.Single(sim.Errors.Trim().Split('\n'));
    }
}
