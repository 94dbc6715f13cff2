using System.Net;
using Shoal.Core.Identity;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Tests.Simulation;

public sealed class SimulatedNetworkTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(3, 0.05)]
    public void A_peer_announced_at_one_of_fifty_nodes_is_found_by_get_peers_from_another(int seed, double loss)
    {
        var network = new SimulatedDhtNetwork(seed, loss);
        var nodes = Enumerable.Range(0, 50).Select(_ => network.AddNode()).ToList();
        var first = nodes[0].EndPoint;
        foreach (var (node, _) in nodes.Skip(1))
        {
            var id = node.Bootstrap(network.Now, [first]);
            network.Await(node, id, Limit);
        }

        // Housekeeping rejoins nodes whose bootstrap answers were lost.
        network.RunUntil(() => false, TimeSpan.FromMinutes(1));
        Assert.All(nodes, n => Assert.True(n.Node.Routing.Count >= 8, $"seed {seed}: a node knows only {n.Node.Routing.Count} others"));

        var rid = Rid.ForUrl("https://cdn.example.com/live/channel1/index.m3u8");
        var announcer = nodes[17].Node;
        var announce = network.Await(announcer, announcer.StartAnnounce(network.Now, NodeId.FromRid(rid), 51413), Limit);
        Assert.True(announce.AnnouncedTo >= 4, $"seed {seed}: announced to only {announce.AnnouncedTo} nodes");

        var seeker = nodes[42].Node;
        var found = network.Await(seeker, seeker.StartGetPeers(network.Now, NodeId.FromRid(rid)), Limit);
        Assert.Contains(new IPEndPoint(nodes[17].EndPoint.Address, 51413), found.Peers);

        var other = network.Await(seeker, seeker.StartGetPeers(network.Now, NodeId.FromRid(Rid.ForUrl("https://cdn.example.com/nothing"))), Limit);
        Assert.Empty(other.Peers);
    }

    [Fact]
    public void The_same_seed_gives_the_same_history()
    {
        static (long, int) Run()
        {
            var network = new SimulatedDhtNetwork(seed: 7, lossRate: 0.1);
            var nodes = Enumerable.Range(0, 20).Select(_ => network.AddNode()).ToList();
            foreach (var (node, _) in nodes.Skip(1))
            {
                network.Await(node, node.Bootstrap(network.Now, [nodes[0].EndPoint]), Limit);
            }

            return (network.DatagramsDelivered, nodes.Sum(n => n.Node.Routing.Count));
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void A_lookup_finishes_when_every_node_it_asks_is_gone()
    {
        var network = new SimulatedDhtNetwork(seed: 11);
        var (lonely, _) = network.AddNode();
        var id = lonely.Bootstrap(network.Now, [new IPEndPoint(IPAddress.Parse("10.9.9.9"), 6881)]);
        var result = network.Await(lonely, id, Limit);
        Assert.Empty(result.ClosestNodes);
        Assert.Equal(DhtOptions.Default.LookupQueryAttempts, lonely.Counters.QueryTimeouts);
    }

    [Fact]
    public void Stale_buckets_are_refreshed_after_fifteen_quiet_minutes()
    {
        var network = new SimulatedDhtNetwork(seed: 5);
        var nodes = Enumerable.Range(0, 30).Select(_ => network.AddNode()).ToList();
        foreach (var (node, _) in nodes.Skip(1))
        {
            network.Await(node, node.Bootstrap(network.Now, [nodes[0].EndPoint]), Limit);
        }

        var watcher = nodes[3].Node;
        var sentBefore = watcher.Counters.QueriesSent;
        network.RunUntil(() => false, TimeSpan.FromMinutes(14));
        Assert.Equal(sentBefore, watcher.Counters.QueriesSent);
        network.RunUntil(() => false, TimeSpan.FromMinutes(2));
        Assert.True(watcher.Counters.QueriesSent > sentBefore, "no refresh lookup after 16 quiet minutes");
    }

    [Fact]
    public void A_crashed_node_stops_being_offered_once_it_has_failed_twice_and_lookups_still_finish()
    {
        var network = new SimulatedDhtNetwork(seed: 6);
        var nodes = Enumerable.Range(0, 30).Select(_ => network.AddNode()).ToList();
        foreach (var (node, _) in nodes.Skip(1))
        {
            network.Await(node, node.Bootstrap(network.Now, [nodes[0].EndPoint]), Limit);
        }

        var (gone, goneEndPoint) = nodes[10];
        var holders = nodes.Where(n => n.Node != gone && n.Node.Routing.Contains(gone.Id)).Select(n => n.Node).ToList();
        Assert.NotEmpty(holders);
        network.Crash(goneEndPoint);

        foreach (var holder in holders)
        {
            for (var attempt = 0; attempt < DhtOptions.Default.FailuresBeforeBad; attempt++)
            {
                var result = network.Await(holder, holder.StartFindNode(network.Now, gone.Id), Limit);
                Assert.DoesNotContain(result.ClosestNodes, n => n.Id == gone.Id);
            }

            Assert.DoesNotContain(holder.Routing.Closest(gone.Id, 8), n => n.Id == gone.Id);
        }
    }
}
