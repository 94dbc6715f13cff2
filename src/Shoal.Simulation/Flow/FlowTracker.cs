using Shoal.Tracker.Peers;
using Shoal.Tracker.State;
using Shoal.Tracker.Udp;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The real tracker logic in the loop: the in-memory store keeps each swarm's members and draws the sample, and the
/// BEP 15 handler's <see cref="PeerListPolicy"/> picks the answer from it (super peers first, then the asker's own /24,
/// then random members). Node addresses encode their map cell in the /24, so "the same /24" means "close by".
/// </summary>
internal sealed class FlowTracker
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly InMemoryTrackerStore _store;
    private readonly PeerListPolicy _policy;
    private readonly PeerSample _sample = new();
    private readonly PeerEndpoint[] _answer;
    private readonly Dictionary<PeerEndpoint, int> _byEndpoint = [];
    private readonly PeerEndpoint[] _endpoints;
    private readonly int[] _perCell = new int[256 * 256];

    public FlowTracker(FlowNode[] nodes, int seed, int peersPerAnswer)
    {
        var options = new UdpTrackerOptions();
        _store = new InMemoryTrackerStore(TimeSpan.FromHours(1), seed);
        _policy = new PeerListPolicy(options.SuperPeerShare, options.NearbyShare);
        _answer = new PeerEndpoint[Math.Max(1, peersPerAnswer)];
        _endpoints = new PeerEndpoint[nodes.Length];
        foreach (var node in nodes)
        {
            // 10.X.Y.h: X and Y are the node's cell on a 256 × 256 map grid; h and the port number it within its cell.
            var cell = ((int)(node.X * 255.999) << 8) | (int)(node.Y * 255.999);
            var number = _perCell[cell]++;
            var endpoint = PeerEndpoint.FromIPv4((10u << 24) | ((uint)cell << 8) | (uint)(number & 0xFF), (ushort)(6881 + (number >> 8)));
            _endpoints[node.Index] = endpoint;
            _byEndpoint[endpoint] = node.Index;
        }
    }

    /// <summary>Announces a node and returns the peers the tracker hands it (node indices) and the swarm's size.</summary>
    public (List<(int Index, bool Super)> Peers, int SwarmSize) Announce(FlowNode node, FlowResource resource, AnnounceEvent announceEvent, double nowSeconds, long left)
    {
        var record = new PeerRecord(_endpoints[node.Index], new PeerId((ulong)node.Index + 1, 0, 0), left, node.SuperPeer, 0);
        _sample.Clear();
        var now = Epoch.AddSeconds(nowSeconds);
        var counts = _store.AnnounceAsync(resource.Rid, record with { LastSeenUnixMs = now.ToUnixTimeMilliseconds() }, announceEvent,
            announceEvent == AnnounceEvent.Stopped ? 0 : _answer.Length * 4, _sample, now).AsTask().GetAwaiter().GetResult();
        var peers = new List<(int, bool)>();
        if (announceEvent == AnnounceEvent.Stopped) return (peers, counts.Seeders + counts.Leechers);
        var chosen = _policy.Choose(record, _sample, ipv6: false, _answer);
        for (var i = 0; i < chosen; i++)
            if (_byEndpoint.TryGetValue(_answer[i], out var index)) peers.Add((index, false));
        foreach (var super in _sample.SuperPeers)
            for (var i = 0; i < peers.Count; i++)
                if (_endpoints[peers[i].Item1] == super.Endpoint) peers[i] = (peers[i].Item1, true);
        return (peers, counts.Seeders + counts.Leechers);
    }
}
