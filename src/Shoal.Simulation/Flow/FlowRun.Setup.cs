using Shoal.Engine;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>The population and the arrival process: who uploads how much, who is reachable, who watches what, when.</summary>
internal sealed partial class FlowRun
{
    private FlowResource[] BuildResources()
    {
        var s = _scenario;
        return s.Kind switch
        {
            ScenarioKind.Live => [new FlowResource(s, 0, (int)Math.Ceiling(s.LagSeconds / s.SegmentSeconds) + 3 + (int)Math.Ceiling(s.DurationSeconds / s.SegmentSeconds) + 1)],
            ScenarioKind.File => [new FlowResource(s, 0, (int)Math.Ceiling(s.FileMib / s.FileSegmentMib))],
            _ => Enumerable.Range(0, s.Flow.Catalogue.Titles)
                .Select(t => new FlowResource(s, t, (int)Math.Ceiling((s.MediaSeconds ?? s.DurationSeconds) / s.SegmentSeconds)))
                .ToArray(),
        };
    }

    private FlowNode[] BuildNodes()
    {
        var s = _scenario;
        var random = new Random(s.Seed * 7919 + 3);
        var superPeers = Enumerable.Range(0, s.Viewers).OrderBy(_ => random.Next()).Take(s.SuperPeers).ToHashSet();
        var nodes = new FlowNode[s.Viewers];
        for (var i = 0; i < s.Viewers; i++)
        {
            var super = superPeers.Contains(i);
            var upKbps = super ? _flow.SuperPeerUpKbps : DrawUpload(random);
            var noInbound = !super && random.NextDouble() < _flow.Nat.NoInbound;
            nodes[i] = new FlowNode(i, upKbps * 1000 / 8, s.Link.DownKbps * 1000 / 8, super, noInbound, random.NextDouble(), random.NextDouble())
            {
                Seed = (ulong)(s.Seed * 1_000_003L + i * 7_919L + 1),
            };
        }
        return nodes;
    }

    private double DrawUpload(Random random)
    {
        if (_flow.UploadClasses.Count == 0) return _scenario.Link.UpKbps;
        var draw = random.NextDouble();
        foreach (var c in _flow.UploadClasses)
        {
            if (draw < c.Share) return c.UpKbps;
            draw -= c.Share;
        }
        return _flow.UploadClasses[^1].UpKbps;
    }

    /// <summary>How many segments a node keeps: the live window from the retained past to the newest segment, or the whole resource.</summary>
    private int HoldingSlots()
    {
        if (_scenario.Kind != ScenarioKind.Live) return _resources.Max(r => r.SegmentCount);
        var span = 30 + _scenario.LagSeconds + _settings.MaximumPeerWindow.TotalSeconds + _settings.MaximumUrgentHorizon.TotalSeconds + 10;
        return (int)Math.Ceiling(span / _scenario.SegmentSeconds) + 4;
    }

    private void ScheduleArrivals()
    {
        var s = _scenario;
        var arrivals = _flow.Arrivals;
        var zipf = s.Kind == ScenarioKind.Vod ? new ZipfSampler(_flow.Catalogue.Titles, _flow.Catalogue.ZipfExponent) : null;
        var window = arrivals.WindowSeconds ?? s.DurationSeconds;
        var poissonAt = 0.0;
        var joinAt = new double[_nodes.Length];
        foreach (var node in _nodes)
        {
            double at;
            if (node.SuperPeer) at = 0;
            else if (arrivals.Process == "poisson")
            {
                poissonAt += -Math.Log(1 - _draws.NextDouble()) * window / Math.Max(1, _nodes.Length - s.SuperPeers);
                at = poissonAt;
            }
            else at = _draws.NextDouble() * s.JoinSpreadSeconds;
            joinAt[node.Index] = at;
            if (at >= s.DurationSeconds) continue;
            var resource = zipf is null ? _resources[0] : _resources[zipf.Draw(_draws)];
            Schedule(Instant.FromSeconds(at), () => Join(node, resource));

            if (!node.SuperPeer && arrivals.SessionMeanSeconds is { } mean)
            {
                var leave = at + Math.Max(1, -Math.Log(1 - _draws.NextDouble()) * mean);
                if (leave < s.DurationSeconds) Schedule(Instant.FromSeconds(leave), () => StopWatching(node));
            }

            if (s.Kind == ScenarioKind.Vod)
                for (var k = 0; k < s.SeeksPerViewer; k++)
                {
                    var from = at + 10;
                    var to = s.DurationSeconds - 5;
                    if (to <= from) break;
                    var seekAt = from + _draws.NextDouble() * (to - from);
                    var target = _draws.NextDouble() * 0.9;
                    Schedule(Instant.FromSeconds(seekAt), () => Seek(node, target));
                }
        }

        if (s.Churn is { Fraction: > 0 } churn)
        {
            var candidates = _nodes.Where(n => !n.SuperPeer).OrderBy(_ => _draws.Next()).Take((int)Math.Round(churn.Fraction * s.Viewers));
            foreach (var node in candidates)
            {
                var leave = Math.Max(joinAt[node.Index] + 1, churn.LeaveFromSeconds + _draws.NextDouble() * (churn.LeaveToSeconds - churn.LeaveFromSeconds));
                if (leave >= s.DurationSeconds) continue;
                Schedule(Instant.FromSeconds(leave), () => Leave(node));
                var back = leave + churn.AwaySeconds;
                if (back < s.DurationSeconds) Schedule(Instant.FromSeconds(back), () => Join(node, _resources[0]));
            }
        }
    }

    /// <summary>Whether a pair can never connect (a seeded draw per pair, the same from either side).</summary>
    private bool Blocked(FlowNode a, FlowNode b)
    {
        if (a.NoInbound && b.NoInbound) return true;
        if (_flow.Nat.BlockedPairs <= 0) return false;
        var (low, high) = a.Index < b.Index ? (a.Index, b.Index) : (b.Index, a.Index);
        var x = (ulong)low * 0x9E3779B97F4A7C15UL ^ ((ulong)high + 0x632BE59BD9B4E019UL) ^ (ulong)_scenario.Seed;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) / (double)(1UL << 53) < _flow.Nat.BlockedPairs;
    }
}
