using System.Net;
using Shoal.Core.Qos;
using Shoal.Engine;
using Shoal.Simulation.Packet;

namespace Shoal.Simulation.Scenarios;

/// <summary>
/// Runs a <see cref="Scenario"/> on the packet-level network: one seeded clock, one real <see cref="Engine.Swarming.Swarm"/>
/// per viewer, the scenario's joins, leaves, seeks, live manifest updates and origin outages, then the QoS report.
/// Same scenario and seed, same history (the trace hash proves it).
/// </summary>
public static class ScenarioRunner
{
    public static ScenarioResult Run(Scenario scenario, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (seed is { } s) scenario = scenario with { Seed = s };
        if (scenario.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(scenario));

        var content = new ScenarioContent(scenario);
        var origin = new SimulatedOrigin(content, scenario.Origin);
        var network = new PacketNetwork(scenario.Seed);
        var draws = new Random(scenario.Seed * 31 + 7);
        var duration = Instant.FromSeconds(scenario.DurationSeconds);

        var roles = Enumerable.Range(0, scenario.Viewers).OrderBy(_ => draws.Next()).ToList();
        var polluters = roles.Take(scenario.Polluters).ToHashSet();
        var superPeers = roles.Skip(scenario.Polluters).Take(scenario.SuperPeers).ToHashSet();
        var viewers = new List<Viewer>();
        var uplinks = new List<Link>();
        for (var i = 0; i < scenario.Viewers; i++)
        {
            var address = PacketNetwork.AddressOf(i + 1);
            var viewer = new Viewer(i, address, scenario, content, origin, network, polluters.Contains(i), superPeers.Contains(i));
            var quarterRtt = TimeSpan.FromMilliseconds(scenario.Link.RttMs / 4);
            var uplink = new Link(new LinkOptions
            {
                BitsPerSecond = (long)(scenario.Link.UpKbps * 1000),
                Delay = quarterRtt,
                LossRate = scenario.Link.Loss,
                Jitter = TimeSpan.FromMilliseconds(scenario.Link.JitterMs),
            });
            var downlink = new Link(new LinkOptions
            {
                BitsPerSecond = (long)(scenario.Link.DownKbps * 1000),
                Delay = quarterRtt,
                LossRate = scenario.Link.Loss,
            });
            network.AddHost(address, viewer, uplink, downlink);
            viewers.Add(viewer);
            uplinks.Add(uplink);
        }

        var activeSince = new Dictionary<Viewer, Instant>();
        var upSeconds = 0.0;
        void Join(Viewer viewer)
        {
            var now = network.Now;
            var active = viewers.Where(v => v.Active && v != viewer).ToList();
            var peers = active.OrderBy(_ => draws.Next()).Take(scenario.TrackerPeers).Select(v => v.Address).ToList();
            activeSince[viewer] = now;
            viewer.Join(now, peers, active.Count + 1);
        }
        void Leave(Viewer viewer)
        {
            if (activeSince.Remove(viewer, out var since)) upSeconds += (network.Now - since).TotalSeconds;
            viewer.Leave(network.Now);
        }

        var joinAt = new Dictionary<Viewer, double>();
        foreach (var viewer in viewers)
        {
            var at = draws.NextDouble() * scenario.JoinSpreadSeconds;
            joinAt[viewer] = at;
            network.Schedule(Instant.FromSeconds(at), () => Join(viewer));
        }

        if (scenario.Kind == ScenarioKind.Live)
        {
            for (var k = content.Prepublished; k < content.Segments.Count; k++)
            {
                var at = content.PublishedAt(k);
                if (at > scenario.DurationSeconds) break;
                network.Schedule(Instant.FromSeconds(at), () =>
                {
                    // The tracker's periodic answer: how many watch now.
                    var watching = viewers.Count(v => v.Active);
                    foreach (var v in viewers) v.UpdateManifest(network.Now, watching);
                });
            }
        }

        if (scenario.Churn is { Fraction: > 0 } churn)
        {
            foreach (var viewer in viewers.OrderBy(_ => draws.Next()).Take((int)Math.Round(churn.Fraction * scenario.Viewers)))
            {
                var leave = Math.Max(joinAt[viewer] + 1, churn.LeaveFromSeconds + draws.NextDouble() * (churn.LeaveToSeconds - churn.LeaveFromSeconds));
                if (leave >= scenario.DurationSeconds) continue;
                network.Schedule(Instant.FromSeconds(leave), () => Leave(viewer));
                var back = leave + churn.AwaySeconds;
                if (back < scenario.DurationSeconds) network.Schedule(Instant.FromSeconds(back), () => Join(viewer));
            }
        }

        if (scenario.Kind == ScenarioKind.Vod)
        {
            foreach (var viewer in viewers)
                for (var i = 0; i < scenario.SeeksPerViewer; i++)
                {
                    var from = joinAt[viewer] + 10;
                    var to = scenario.DurationSeconds - 5;
                    if (to <= from) break;
                    var at = from + draws.NextDouble() * (to - from);
                    var target = draws.NextDouble() * 0.9;
                    network.Schedule(Instant.FromSeconds(at), () => viewer.Seek(network.Now, target));
                }
        }

        // Cumulative traffic every few seconds, so that a check can ask for the offload once the crowd has started.
        var traffic = new List<TrafficSample>();
        for (var t = TrafficSampleSeconds; t < scenario.DurationSeconds; t += TrafficSampleSeconds)
            network.Schedule(Instant.FromSeconds(t), () => traffic.Add(SampleTraffic(network.Now, viewers)));

        network.RunUntil(duration);
        foreach (var viewer in viewers) viewer.Finish(network.Now);
        foreach (var (_, since) in activeSince) upSeconds += (network.Now - since).TotalSeconds;

        return Summarise(scenario, content, origin, network, viewers, uplinks, upSeconds) with { Traffic = traffic };
    }

    /// <summary>How often the run's cumulative traffic is sampled (<see cref="ScenarioResult.Traffic"/>).</summary>
    public const double TrafficSampleSeconds = 5;

    private static TrafficSample SampleTraffic(Instant now, List<Viewer> viewers)
    {
        var metrics = viewers.SelectMany(v => v.AllMetrics).ToList();
        return new TrafficSample(now.TotalSeconds, metrics.Sum(m => m.BytesToPlayer), metrics.Sum(m => m.BytesFromOrigin));
    }

    private static ScenarioResult Summarise(
        Scenario scenario, ScenarioContent content, SimulatedOrigin origin, PacketNetwork network,
        List<Viewer> viewers, List<Link> uplinks, double upSeconds)
    {
        var metrics = viewers.SelectMany(v => v.AllMetrics).ToList();
        var toPlayers = metrics.Sum(m => m.BytesToPlayer);
        var fromOrigin = metrics.Sum(m => m.BytesFromOrigin);
        var fromPeers = metrics.Sum(m => m.BytesFromPeers);
        var udpBytes = uplinks.Sum(l => l.AcceptedBytes);
        var watched = viewers.Sum(v => v.WatchedSeconds);
        var stallSeconds = viewers.Sum(v => v.StallSeconds);
        var stalls = viewers.Sum(v => v.Stalls);
        var media = scenario.Kind != ScenarioKind.File;

        var distinct = viewers.SelectMany(v => v.DeliveredSegments).Distinct().Sum(s => content.Segments[(int)s].Length);
        var peerCapacity = upSeconds * scenario.Link.UpKbps * 1000 / 8;
        var bound = OffloadBound.Of(distinct, toPlayers, peerCapacity);

        var report = new QosReport
        {
            Scenario = scenario.Name,
            Viewers = scenario.Viewers,
            DurationSeconds = scenario.DurationSeconds,
            StartupSeconds = media ? Percentiles.Of(viewers.SelectMany(v => v.Startups)) : null,
            StallSecondsPer30Min = media ? QosReport.PerThirtyMinutes(stallSeconds, watched) : null,
            StallsPer30Min = media ? QosReport.PerThirtyMinutes(stalls, watched) : null,
            LagBehindLiveSeconds = scenario.Kind == ScenarioKind.Live
                ? Percentiles.Of(viewers.Where(v => v.Lags.Count > 0).Select(v => v.Lags.Average()), includeP99: false)
                : null,
            SeekSeconds = scenario.Kind == ScenarioKind.Vod ? Percentiles.Of(viewers.SelectMany(v => v.Seeks), includeP99: false) : null,
            Offload = QosReport.OffloadOf(fromOrigin, toPlayers),
            OffloadBound = bound,
            Bytes = new ByteCounts(toPlayers, fromOrigin, fromPeers, Math.Max(0, udpBytes - fromPeers)),
            CorruptBytesDelivered = viewers.Sum(v => v.CorruptBytesDelivered),
        };

        var polluterAddresses = viewers.Where(v => v.Polluter).Select(v => v.Address).ToHashSet();
        var honestBanners = viewers.Where(v => !v.Polluter).ToList();
        return new ScenarioResult
        {
            Report = report,
            Seed = scenario.Seed,
            CompletionSeconds = scenario.Kind == ScenarioKind.File ? Percentiles.Of(viewers.SelectMany(v => v.Completions)) : null,
            Completed = viewers.Sum(v => v.Completions.Count),
            Polluters = polluterAddresses.Count,
            PollutersBanned = polluterAddresses.Count(p => honestBanners.Any(v => v.Banned.Contains(p))),
            HonestPeersBanned = viewers.Where(v => !v.Polluter).Select(v => v.Address)
                .Count(a => viewers.Any(v => v.Banned.Contains(a))),
            OriginRequests = origin.Requests,
            OriginFailures = origin.Failures,
            PiecesLate = metrics.Sum(m => m.PiecesLate),
            UrgentOriginRequests = metrics.Sum(m => m.UrgentOriginRequests),
            DuplicateBytes = metrics.Sum(m => m.DuplicateBytes),
            BytesUploaded = metrics.Sum(m => m.BytesUploaded),
            EndGameDuplicates = metrics.Sum(m => m.EndGameDuplicates),
            RequestStalls = metrics.Sum(m => m.RequestStalls),
            StallLog = viewers.SelectMany(v => v.StallLog).OrderBy(r => r.Start).ThenBy(r => r.Viewer).ToList(),
            TraceHash = network.TraceHash,
        };
    }

    /// <summary>A viewer's address in a run (for tests that look at one node).</summary>
    public static IPEndPoint AddressOf(int viewer) => PacketNetwork.AddressOf(viewer + 1);
}
