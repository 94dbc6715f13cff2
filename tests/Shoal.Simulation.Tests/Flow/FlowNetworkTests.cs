using CsCheck;
using Shoal.Engine;
using Shoal.Simulation.Flow;

namespace Shoal.Simulation.Tests.Flow;

/// <summary>The fluid network's sharing rule, checked against hand-computed rates.</summary>
public sealed class FlowNetworkTests
{
    private static FlowNode Node(int index, double upKbps, double downKbps) => new(index, upKbps * 125, downKbps * 125, false, false, 0, 0);

    private static Transfer Flow(FlowNetwork network, int sender, int receiver, long bytes) => new()
    {
        Id = network.NextId(),
        Sender = sender,
        Receiver = receiver,
        Session = 1,
        Bytes = bytes,
        Requested = Instant.Zero,
        ActiveFrom = Instant.Zero,
    };

    [Fact]
    public void An_uplink_is_shared_max_min_fairly_given_the_receivers_downlinks()
    {
        // Sender 0 has 3,000 kbit/s up; receiver 3 can take only 500 kbit/s, so the other two share the remaining 2,500.
        var nodes = new[] { Node(0, 3000, 1), Node(1, 1, 20_000), Node(2, 1, 20_000), Node(3, 1, 500) };
        var network = new FlowNetwork(nodes, 1_000_000, originViaDownlink: true);
        var flows = new[] { Flow(network, 0, 1, 10_000_000), Flow(network, 0, 2, 10_000_000), Flow(network, 0, 3, 10_000_000) };
        foreach (var f in flows) network.Start(f);
        network.Advance(Instant.Zero, TimeSpan.FromMilliseconds(100));
        Assert.Equal(1250 * 125, flows[0].Rate, 6);
        Assert.Equal(1250 * 125, flows[1].Rate, 6);
        Assert.Equal(500 * 125, flows[2].Rate, 6);
    }

    [Fact]
    public void A_flow_finishes_within_the_step_at_the_instant_its_last_byte_arrives()
    {
        var nodes = new[] { Node(0, 8000, 1), Node(1, 1, 80_000) };
        var network = new FlowNetwork(nodes, 1_000_000, originViaDownlink: true);
        var flow = Flow(network, 0, 1, 250_000);
        network.Start(flow);
        // 1,000,000 bytes/s: 250,000 bytes take 0.25 s, so the flow ends in the third 100 ms step, at 250 ms.
        Assert.Empty(network.Advance(Instant.Zero, TimeSpan.FromMilliseconds(100)));
        Assert.Empty(network.Advance(Instant.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)));
        var done = network.Advance(Instant.FromMilliseconds(200), TimeSpan.FromMilliseconds(100));
        Assert.Same(flow, Assert.Single(done));
        Assert.Equal(Instant.FromMilliseconds(250), flow.CompletedAt);
    }

    [Fact]
    public void A_flow_that_starts_within_a_step_moves_from_its_start_not_from_the_next_step()
    {
        var nodes = new[] { Node(0, 8000, 1), Node(1, 1, 80_000) };
        var network = new FlowNetwork(nodes, 1_000_000, originViaDownlink: true);
        var peer = Flow(network, 0, 1, 50_000);
        peer.ActiveFrom = Instant.FromMilliseconds(30);
        var origin = Flow(network, -1, 1, 20_000);
        origin.ActiveFrom = Instant.FromMilliseconds(60);
        network.Start(peer);
        network.Start(origin);
        // The peer flow runs at 1,000,000 bytes/s from 30 ms: 50,000 bytes end at 80 ms. The origin request starts at 60 ms
        // with the receiver's downlink shared by two flows (5,000,000 bytes/s each): 20,000 bytes end at 64 ms.
        var done = network.Advance(Instant.Zero, TimeSpan.FromMilliseconds(100));
        Assert.Equal([origin, peer], done);
        Assert.Equal(Instant.FromMilliseconds(80), peer.CompletedAt);
        Assert.Equal(Instant.FromMilliseconds(64), origin.CompletedAt);
    }

    [Fact]
    public void The_origin_serves_in_arrival_order_and_a_cancelled_request_makes_room()
    {
        // Receiver 0 can absorb 600,000 bytes/s; the origin has 1,000,000: the second request gets the rest.
        var nodes = new[] { Node(0, 1, 4800), Node(1, 1, 100_000) };
        var network = new FlowNetwork(nodes, originBytesPerSecond: 1_000_000, originViaDownlink: true);
        var a = Flow(network, -1, 0, 10_000_000);
        var b = Flow(network, -1, 1, 10_000_000);
        network.Start(a);
        network.Start(b);
        network.Advance(Instant.Zero, TimeSpan.FromMilliseconds(100));
        Assert.Equal(600_000, a.Rate, 6);
        Assert.Equal(400_000, b.Rate, 6);
        network.Cancel(a);
        network.Advance(Instant.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
        Assert.Equal(1_000_000, b.Rate, 6);
        Assert.Equal(1, network.ActiveFlows);
    }

    [Fact]
    public void A_flow_does_not_move_before_its_first_byte_is_due()
    {
        var nodes = new[] { Node(0, 8000, 1), Node(1, 1, 80_000) };
        var network = new FlowNetwork(nodes, 1_000_000, originViaDownlink: true);
        var flow = new Transfer
        {
            Id = network.NextId(), Sender = 0, Receiver = 1, Session = 1, Bytes = 1000,
            Requested = Instant.Zero, ActiveFrom = Instant.FromMilliseconds(150),
        };
        network.Start(flow);
        network.Advance(Instant.Zero, TimeSpan.FromMilliseconds(100));
        Assert.Equal(1000, flow.Remaining);
        Assert.Single(network.Advance(Instant.FromMilliseconds(200), TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void Steps_on_several_threads_finish_the_same_flows_at_the_same_instants_in_the_same_order()
    {
        // More busy senders than the parallel step's threshold, peer and origin flows starting at any point of the next
        // few steps, and some cancelled between steps (before or after they started).
        const int nodeCount = 600;
        var flow = Gen.Select(Gen.Int[-1, nodeCount - 1], Gen.Int[0, nodeCount - 1], Gen.Long[1_000, 400_000], Gen.Int[0, 250], Gen.Int[0, 9]);
        Gen.Select(flow.Array[700, 1500], Gen.Int[0, 1000]).Sample((flows, upSeed) =>
        {
            var random = new Random(upSeed);
            var nodes = Enumerable.Range(0, nodeCount).Select(i => Node(i, 200 + random.Next(20_000), 2_000 + random.Next(50_000))).ToArray();
            using var workers = new StripedWorkers(2);
            var alone = new FlowNetwork(nodes, 2_000_000, originViaDownlink: true);
            var shared = new FlowNetwork(nodes, 2_000_000, originViaDownlink: true, workers);
            Transfer Make(FlowNetwork network, int i)
            {
                var (sender, receiver, bytes, startMs, _) = flows[i];
                return new Transfer
                {
                    Id = network.NextId(), Sender = sender, Receiver = receiver == sender ? (receiver + 1) % nodeCount : receiver,
                    Session = 1, Bytes = bytes, Requested = Instant.Zero, ActiveFrom = Instant.FromMilliseconds(startMs),
                };
            }
            var ofAlone = Enumerable.Range(0, flows.Length).Select(i => Make(alone, i)).ToArray();
            var ofShared = Enumerable.Range(0, flows.Length).Select(i => Make(shared, i)).ToArray();
            for (var i = 0; i < flows.Length; i++)
            {
                alone.Start(ofAlone[i]);
                shared.Start(ofShared[i]);
            }
            var step = TimeSpan.FromMilliseconds(100);
            for (var k = 0; k < 40; k++)
            {
                var from = Instant.FromMilliseconds(100 * k);
                var expected = alone.Advance(from, step).Select(t => (t.Id, t.CompletedAt)).ToList();
                var actual = shared.Advance(from, step).Select(t => (t.Id, t.CompletedAt)).ToList();
                Assert.Equal(expected, actual);
                Assert.Equal(alone.ActiveFlows, shared.ActiveFlows);
                for (var i = 0; i < flows.Length; i++)
                    if (flows[i].Item5 == k % 10 && k % 3 == 1)
                    {
                        alone.Cancel(ofAlone[i]);
                        shared.Cancel(ofShared[i]);
                    }
            }
        }, iter: 20);
    }
}
