using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Tests.Scenarios;

/// <summary>Small swarms that prove the harness and the engine end to end: bytes arrive intact, from peers, replayably.</summary>
public sealed class HarnessTests
{
    private static Scenario Small(ScenarioKind kind) => new()
    {
        Name = $"small-{kind}",
        Kind = kind,
        Viewers = 6,
        DurationSeconds = 24,
        StreamKbps = 800,
        SegmentSeconds = 2,
        LagSeconds = 8,
        MediaSeconds = 40,
        FileMib = 2,
        FileSegmentMib = 1,
        JoinSpreadSeconds = 4,
        Link = new LinkSpec { UpKbps = 1500, DownKbps = 10_000, RttMs = 30 },
        // A plain file comes from a slow origin, so the nodes must share it.
        Origin = kind == ScenarioKind.File ? new OriginSpec { CapacityKbps = 2000 } : new OriginSpec(),
        Seed = 7,
    };

    [Theory]
    [InlineData(ScenarioKind.Live)]
    [InlineData(ScenarioKind.Vod)]
    [InlineData(ScenarioKind.File)]
    public void Every_delivered_byte_is_authentic_and_peers_carry_some(ScenarioKind kind)
    {
        var result = ScenarioRunner.Run(Small(kind));
        var report = result.Report;
        Assert.True(report.Bytes.ToPlayers > 0, result.ToTable());
        Assert.Equal(0, report.CorruptBytesDelivered);
        Assert.True(report.Bytes.FromPeers > 0, result.ToTable());
        // Nothing reaches a player that was not fetched: every delivered byte came from a peer or the origin.
        Assert.True(report.Bytes.FromPeers + report.Bytes.FromOrigin >= report.Bytes.ToPlayers, result.ToTable());
        Assert.Equal(0, result.HonestPeersBanned);
    }

    [Fact]
    public void A_polluter_is_banned_and_nothing_it_sent_reaches_a_player()
    {
        var scenario = Small(ScenarioKind.Live) with { Name = "small-polluter", Viewers = 6, Polluters = 2 };
        var result = ScenarioRunner.Run(scenario);
        Assert.Equal(0, result.Report.CorruptBytesDelivered);
        Assert.Equal(2, result.PollutersBanned);
        Assert.Equal(0, result.HonestPeersBanned);
    }

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        var scenario = Small(ScenarioKind.Live) with { DurationSeconds = 12 };
        var first = ScenarioRunner.Run(scenario);
        var again = ScenarioRunner.Run(scenario);
        var other = ScenarioRunner.Run(scenario, seed: 8);
        Assert.Equal(first.TraceHash, again.TraceHash);
        Assert.Equal(first.ToJson(), again.ToJson());
        Assert.NotEqual(first.TraceHash, other.TraceHash);
    }

    [Fact]
    public void Traffic_is_sampled_cumulatively_and_gives_the_offload_of_a_later_stretch()
    {
        var result = ScenarioRunner.Run(Small(ScenarioKind.Live));
        Assert.Equal([5.0, 10.0, 15.0, 20.0], result.Traffic.Select(t => t.Seconds));
        Assert.True(result.Traffic.Zip(result.Traffic.Skip(1)).All(p => p.First.ToPlayers <= p.Second.ToPlayers && p.First.FromOrigin <= p.Second.FromOrigin));
        var at10 = result.Traffic[1];
        var expected = 1.0 - (double)(result.Report.Bytes.FromOrigin - at10.FromOrigin) / (result.Report.Bytes.ToPlayers - at10.ToPlayers);
        Assert.Equal(expected, result.OffloadSince(12)!.Value, 9);
        Assert.Equal(result.OffloadSince(12), result.OffloadSecondHalf);
        Assert.Null(result.OffloadSince(4));
    }

    [Fact]
    public void A_broken_scenario_file_is_refused_with_a_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"shoal-bad-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{ "name": "bad", "viewers": 0 }""");
            Assert.False(Scenario.TryLoad(path, out _, out var error));
            Assert.Contains("viewers", error, StringComparison.Ordinal);
            File.WriteAllText(path, """{ "name": "bad", "unknown_field": 1 }""");
            Assert.False(Scenario.TryLoad(path, out _, out error));
            File.WriteAllText(path, "{ not json");
            Assert.False(Scenario.TryLoad(path, out _, out _));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
