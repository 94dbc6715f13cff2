using Shoal.Simulation.Flow;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Tests.Flow;

/// <summary>The flow-level simulator end to end, on swarms small enough for a unit test: what it must get right at any scale.</summary>
public sealed class FlowSimulatorTests
{
    private static Scenario Live(int viewers = 120) => new()
    {
        Name = "flow-live",
        Kind = ScenarioKind.Live,
        Model = SimulationModel.Flow,
        Viewers = viewers,
        DurationSeconds = 90,
        StreamKbps = 1000,
        SegmentSeconds = 2,
        LagSeconds = 10,
        PieceKib = 64,
        JoinSpreadSeconds = 10,
        Link = new LinkSpec { UpKbps = 2000, DownKbps = 20_000, RttMs = 40 },
        Origin = new OriginSpec { CapacityKbps = 1_000_000, LatencyMs = 50 },
        Seed = 3,
    };

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        var a = FlowSimulator.Run(Live(60));
        var b = FlowSimulator.Run(Live(60));
        var c = FlowSimulator.Run(Live(60), seed: 4);
        Assert.Equal(a.Result.TraceHash, b.Result.TraceHash);
        Assert.Equal(a.Result.Report.ToJson(), b.Result.Report.ToJson());
        Assert.NotEqual(a.Result.TraceHash, c.Result.TraceHash);
    }

    [Fact]
    public void The_history_is_the_same_whatever_the_number_of_threads()
    {
        // Large enough that steps have more due passes and busy senders than the thresholds of the parallel phases.
        var scenario = Live(600) with { DurationSeconds = 40 };
        var one = FlowSimulator.Run(scenario, threads: 1);
        var three = FlowSimulator.Run(scenario, threads: 3);
        Assert.Equal(one.Result.TraceHash, three.Result.TraceHash);
        Assert.Equal(one.Result.Report.ToJson(), three.Result.Report.ToJson());
        Assert.Equal(one.Events, three.Events);
    }

    [Fact]
    public void The_run_reports_where_its_time_went()
    {
        var result = FlowSimulator.Run(Live(60) with { DurationSeconds = 30 });
        var phases = result.Phases!;
        Assert.True(phases.Passes > 0);
        Assert.InRange(phases.EmptyPasses, 0, phases.Passes);
        Assert.True(phases.NetworkSeconds > 0 && phases.PlanningSeconds > 0 && phases.ArrivalsSeconds > 0);
        Assert.True(phases.NetworkSeconds + phases.ArrivalsSeconds + phases.EventsSeconds + phases.PlanningSeconds + phases.ApplyingSeconds <= result.WallSeconds);
        // A run on two threads shares part of its steps with its helper, which works at most while they are shared.
        var two = FlowSimulator.Run(Live(600) with { DurationSeconds = 20 }, threads: 2).Phases!;
        Assert.True(two.SharedSeconds > 0 && two.HelperBusySeconds > 0, two.ToLine());
        Assert.True(two.HelperBusySeconds <= two.SharedSeconds, two.ToLine());
        Assert.Equal(0, FlowSimulator.Run(Live(60) with { DurationSeconds = 10 }, threads: 1).Phases!.SharedSeconds);
        Assert.Contains("\"phases\"", result.ToJson());
        Assert.Contains("simulator time", result.ToTable());
    }

    [Fact]
    public void Peers_with_spare_upload_carry_most_of_a_live_stream_without_stalls()
    {
        var result = FlowSimulator.Run(Live());
        var report = result.Result.Report;
        var table = result.ToTable();
        Assert.True(report.Offload > 0.5, table);
        Assert.True(report.Offload <= report.OffloadBound, table);
        // Arrivals are resolved to a 50 ms step and schedulers run every 100–500 ms, so a piece may land a step after its
        // segment was due: at most a fraction of a second per half hour, never a real interruption.
        Assert.True(report.StallSecondsPer30Min < 0.5, table);
        Assert.Equal(120, result.Startups);
        // Bytes are conserved: what peers received, peers uploaded.
        Assert.Equal(report.Bytes.FromPeers, result.Result.BytesUploaded);
        Assert.True(report.Bytes.FromPeers + report.Bytes.FromOrigin >= report.Bytes.ToPlayers, table);
        // Viewers start lag_s behind the newest segment, at a segment boundary: up to one segment less.
        Assert.InRange(report.LagBehindLiveSeconds!.P50, 8.0, 11.0);
    }

    [Fact]
    public void Without_upload_capacity_everything_comes_from_the_origin()
    {
        var scenario = Live(40) with { Flow = new FlowSpec { UploadClasses = [new UploadClass { Share = 1, UpKbps = 0 }] } };
        var report = FlowSimulator.Run(scenario).Result.Report;
        Assert.Equal(0, report.Bytes.FromPeers);
        Assert.True(report.Offload <= 0, report.ToTable());
        Assert.Equal(0.0, report.OffloadBound!.Value, 6);
    }

    [Fact]
    public void Viewers_that_all_refuse_inbound_connections_cannot_share()
    {
        var scenario = Live(40) with { Flow = new FlowSpec { Nat = new NatSpec { NoInbound = 1 } } };
        var report = FlowSimulator.Run(scenario).Result.Report;
        Assert.Equal(0, report.Bytes.FromPeers);
    }

    [Fact]
    public void An_origin_too_small_for_the_audience_makes_players_stall()
    {
        var starved = Live(40) with
        {
            Origin = new OriginSpec { CapacityKbps = 10_000, LatencyMs = 50 },
            Flow = new FlowSpec { UploadClasses = [new UploadClass { Share = 1, UpKbps = 0 }] },
        };
        var result = FlowSimulator.Run(starved);
        Assert.True(result.Result.Report.StallSecondsPer30Min > 60, result.ToTable());
        // 40 viewers at 1 Mbit/s from a 10 Mbit/s origin: the origin is the bottleneck and runs flat out.
        Assert.InRange(result.OriginPeakMbps, 9.0, 10.01);
    }

    [Fact]
    public void A_file_reaches_every_node_and_most_of_it_from_peers()
    {
        var scenario = new Scenario
        {
            Name = "flow-file",
            Kind = ScenarioKind.File,
            Model = SimulationModel.Flow,
            Viewers = 60,
            DurationSeconds = 240,
            FileMib = 16,
            FileSegmentMib = 2,
            FileRateKbps = 4000,
            PieceKib = 256,
            JoinSpreadSeconds = 5,
            Link = new LinkSpec { UpKbps = 4000, DownKbps = 20_000, RttMs = 40 },
            Origin = new OriginSpec { CapacityKbps = 8000, LatencyMs = 50 },
            Flow = new FlowSpec { Arrivals = new ArrivalSpec { SeedForSeconds = 300 } },
            Seed = 5,
        };
        var result = FlowSimulator.Run(scenario);
        var table = result.ToTable();
        Assert.Equal(60, result.Result.Completed);
        Assert.NotNull(result.Result.CompletionSeconds);
        Assert.True(result.Result.Report.Offload > 0.5, table);
    }

    [Fact]
    public void Vod_viewers_spread_over_a_catalogue_seek_and_report_seek_times()
    {
        var scenario = new Scenario
        {
            Name = "flow-vod",
            Kind = ScenarioKind.Vod,
            Model = SimulationModel.Flow,
            Viewers = 80,
            DurationSeconds = 120,
            MediaSeconds = 100,
            StreamKbps = 1000,
            PieceKib = 128,
            SeeksPerViewer = 2,
            JoinSpreadSeconds = 20,
            Link = new LinkSpec { UpKbps = 2000, DownKbps = 20_000, RttMs = 40 },
            Flow = new FlowSpec { Catalogue = new CatalogueSpec { Titles = 5, ZipfExponent = 1.0 } },
            Seed = 9,
        };
        var result = FlowSimulator.Run(scenario);
        var report = result.Result.Report;
        Assert.NotNull(report.SeekSeconds);
        Assert.True(result.Seeks > 40, result.ToTable());
        Assert.True(report.Bytes.FromPeers > 0, result.ToTable());
    }

    [Fact]
    public void The_time_series_covers_the_run()
    {
        var result = FlowSimulator.Run(Live(30) with { Flow = new FlowSpec { SampleSeconds = 10 } });
        var samples = result.Series.Samples;
        Assert.Equal(0, samples[0].TimeSeconds);
        Assert.Equal(90, samples[^1].TimeSeconds);
        Assert.Equal(10, samples.Count);
        Assert.Equal(30, samples[^1].ViewersOnline);
        Assert.NotEmpty(result.Series.BufferSecondsAllSamples);
    }
}
