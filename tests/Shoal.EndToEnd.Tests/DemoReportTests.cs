using System.Text.Json;

namespace Shoal.EndToEnd.Tests;

/// <summary>`shoal demo --json` is honest: its figures add up and have the shape DESIGN.md gives.</summary>
public sealed class DemoReportTests
{
    [Fact]
    public async Task A_twenty_second_demo_reports_figures_that_add_up()
    {
        var logs = Directory.CreateTempSubdirectory("shoal-demo-test-").FullName;
        await using var demo = ShoalProcess.Start("demo", "--duration", "20", "--json", "--logs", logs);
        var exit = await demo.WaitAsync(TimeSpan.FromMinutes(4));
        Assert.True(exit == 0, $"shoal demo exited {exit}:\n{demo.Errors}");

        using var report = JsonDocument.Parse(demo.Output);
        var root = report.RootElement;
        Assert.Equal(12, root.GetProperty("viewers").GetInt32());
        Assert.True(root.GetProperty("duration_s").GetDouble() >= 20);
        var bytes = root.GetProperty("bytes");
        var toPlayers = bytes.GetProperty("to_players").GetInt64();
        var fromOrigin = bytes.GetProperty("from_origin").GetInt64();
        var fromPeers = bytes.GetProperty("from_peers").GetInt64();
        Assert.True(toPlayers > 0, "the players received media");
        Assert.Equal(toPlayers, fromOrigin + fromPeers);
        Assert.True(root.GetProperty("startup_s").GetProperty("p50").GetDouble() > 0);
        var offload = root.GetProperty("offload").GetDouble();
        var bound = root.GetProperty("offload_bound").GetDouble();
        Assert.InRange(offload, -1.0, 1.0);
        Assert.True(offload <= bound + 1e-9, $"offload {offload} cannot beat its bound {bound}");
        Assert.Equal(0, root.GetProperty("corrupt_bytes_delivered").GetInt64());
        Assert.True(root.TryGetProperty("lag_behind_live_s", out _));
    }
}
