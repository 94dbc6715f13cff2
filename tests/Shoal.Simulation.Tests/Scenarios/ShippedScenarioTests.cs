using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Tests.Scenarios;

/// <summary>
/// The shipped scenarios (scenarios/*.json) with the checks. Each runs the file's swarm (50 viewers, the
/// file's links, origin and faults) for a shortened simulated time so a test stays within ~40 s of CPU; the full
/// figures come from `shoal sim scenarios/FILE` (see the closing report). A failure prints the replay command.
/// </summary>
public sealed class ShippedScenarioTests
{
    private static (Scenario Scenario, ScenarioResult Result) Run(string file, Func<Scenario, Scenario> shorten)
    {
        var scenario = shorten(ScenarioFiles.Load(file));
        var result = ScenarioRunner.Run(scenario);
        Assert.True(result.Report.CorruptBytesDelivered == 0, $"corrupt bytes delivered\n{result.ToTable()}{ScenarioFiles.Replay(scenario, file)}");
        return (scenario, result);
    }

    private static string Why(Scenario scenario, ScenarioResult result, string file) => $"\n{result.ToTable()}{ScenarioFiles.Replay(scenario, file)}";

    [Fact]
    public void Live_50_plays_without_a_stall_after_start_up_and_peers_carry_over_90_percent_at_10_s_lag()
    {
        const string file = "live-50.json";
        var (scenario, result) = Run(file, s => s with { DurationSeconds = 35 });
        Assert.Equal(50, scenario.Viewers);
        Assert.Equal(10, scenario.LagSeconds);
        Assert.True(result.Report.StallSecondsPer30Min == 0, "stalls" + Why(scenario, result, file));
        Assert.NotNull(result.Report.StartupSeconds);
        // The goal, over the stretch after the crowd that joined in the first 10 s has filled its 10 s buffers
        // (from 20 s on). Those start-ups come from an empty swarm, so the origin, and in a 35 s run they dominate the
        // whole-run figure; over the file's full 300 s they are a small share (see `shoal sim`). From 20 s on the origin
        // sends only each new segment's seed copies and the odd late piece.
        var steady = result.OffloadSince(20);
        Assert.True(steady > 0.90, $"offload from 20 s: {steady:P1}" + Why(scenario, result, file));
        Assert.True(result.Report.Offload > 0.5, "offload" + Why(scenario, result, file));
        Assert.True(result.Report.OffloadBound >= result.Report.Offload, "bound" + Why(scenario, result, file));
    }

    [Fact]
    public void Live_50_with_polluters_delivers_no_corrupt_byte_and_bans_every_polluter()
    {
        const string file = "live-50-polluters.json";
        var (scenario, result) = Run(file, s => s with { DurationSeconds = 30 });
        Assert.Equal(5, result.Polluters);
        Assert.True(result.PollutersBanned == 5, "polluters not banned" + Why(scenario, result, file));
        Assert.True(result.HonestPeersBanned == 0, "honest peers banned" + Why(scenario, result, file));
    }

    [Fact]
    public void Live_50_keeps_playing_through_a_10_s_origin_outage_but_for_what_was_published_during_it()
    {
        const string file = "live-50-origin-outage.json";
        var (scenario, result) = Run(file, s => s with
        {
            DurationSeconds = 40,
            Origin = s.Origin with { Outages = [s.Origin.Outages[0] with { StartSeconds = 22 }] },
        });
        var outage = scenario.Origin.Outages[0];
        var (start, end) = (outage.StartSeconds, outage.StartSeconds + outage.DurationSeconds);
        Assert.Equal(10, outage.DurationSeconds);
        Assert.Equal(10, scenario.LagSeconds);
        Assert.True(result.OriginFailures > 0, "the outage never hit a request" + Why(scenario, result, file));
        // The file's lag equals its outage, so the first segment published during the outage is due no later than the
        // outage's end: no peer can have held it, and viewers whose lag (8-10 s, by when they joined a 2 s segment)
        // falls short wait for it. Those stalls are the outage's own; the engine's part is to end them within a second
        // of the origin's return (a probe every 0.5 s, then the fetch and the spread), and to start none before it.
        Assert.All(result.StallLog, stall => Assert.True(stall.Start >= start && stall.End <= end + 1.0,
            $"a stall outside the outage or its recovery: {stall}" + Why(scenario, result, file)));
        // What was published before the outage was among the peers: losing the origin may cost a viewer only a moment
        // on a piece that was still spreading when it went (it falls back to the neighbours at once).
        Assert.All(result.StallLog.Where(r => r.PublishedAt < start), stall => Assert.True(stall.Seconds <= 0.5,
            $"a long stall on data the peers held: {stall}" + Why(scenario, result, file)));
    }

    [Fact]
    public void Live_50_with_loss_and_churn_restarts_leavers_and_keeps_playing()
    {
        const string file = "live-50-lossy-churn.json";
        var (scenario, result) = Run(file, s => s with
        {
            DurationSeconds = 40,
            Churn = s.Churn! with { LeaveFromSeconds = 12, LeaveToSeconds = 25, AwaySeconds = 5 },
        });
        Assert.Equal(0.05, scenario.Link.Loss);
        // 30 % of 50 left and came back: each came back through a fresh start-up.
        Assert.True(result.Report.StartupSeconds is not null);
        Assert.True(result.Report.Offload > 0.3, "offload" + Why(scenario, result, file));
        Assert.True(result.Report.StallSecondsPer30Min < 120, "stalls" + Why(scenario, result, file));
    }

    [Fact]
    public void Vod_50_reports_seek_times()
    {
        const string file = "vod-50-seek.json";
        // 30 s leave each viewer's seek between 10 s after it joined and 25 s: the heaviest test here, kept short.
        var (scenario, result) = Run(file, s => s with { DurationSeconds = 30, JoinSpreadSeconds = 10, SeeksPerViewer = 1 });
        Assert.True(result.Report.SeekSeconds is { } seek && seek.P50 < 3, "seek" + Why(scenario, result, file));
        Assert.Null(result.Report.LagBehindLiveSeconds);
    }

    [Fact]
    public void File_50_completes_on_every_node_with_peers_carrying_most_bytes()
    {
        const string file = "file-50.json";
        // A quarter of the file (2 slices of 4 MiB) keeps the test short; the origin stays the file's slow 16 Mbit/s.
        var (scenario, result) = Run(file, s => s with { FileMib = 8, DurationSeconds = 45 });
        Assert.Equal(16_000, scenario.Origin.CapacityKbps);
        Assert.True(result.Completed == scenario.Viewers, $"{result.Completed} of {scenario.Viewers} nodes finished" + Why(scenario, result, file));
        Assert.NotNull(result.CompletionSeconds);
        // The origin alone would need 210 s for 50 copies: finishing in well under a minute takes the peers carrying
        // nearly everything. The origin sends a few copies of each slice (the first joiners, alone in the swarm, seed
        // what nobody else holds yet), not one per node: above 85 % offload is fewer than 7.5 copies of 50.
        Assert.True(result.Report.Offload > 0.85, "offload" + Why(scenario, result, file));
    }

    [Fact]
    public void Live_50_replays_exactly_from_its_seed()
    {
        var scenario = ScenarioFiles.Load("live-50.json") with { DurationSeconds = 6 };
        Assert.Equal(ScenarioRunner.Run(scenario).ToJson(), ScenarioRunner.Run(scenario).ToJson());
    }
}
