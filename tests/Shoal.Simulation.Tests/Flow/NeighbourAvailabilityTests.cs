using Shoal.Core.Content;
using Shoal.Engine;
using Shoal.Simulation.Flow;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Tests.Flow;

public sealed class NeighbourAvailabilityTests
{
    private static readonly FlowResource Resource = new(new Scenario { StreamKbps = 2000, SegmentSeconds = 2, PieceKib = 64 }, 0, 1000);
    private static readonly FlowResource Other = new(new Scenario { StreamKbps = 2000, SegmentSeconds = 2, PieceKib = 64 }, 1, 1000);

    [Fact]
    public void Holder_masks_answer_as_the_holdings_do_inside_and_outside_the_pass_segments()
    {
        const int nodes = 40;
        var random = new Random(5);
        var pool = new HoldingsPool(nodes, 64, NodeHoldings.WordsPerSegment(Resource));
        var all = Enumerable.Range(0, nodes).Select(i => new FlowNode(i, 1000, 1000, false, false, 0, 0)).ToArray();
        var holdings = new NodeHoldings?[nodes];
        for (var i = 0; i < nodes; i++)
        {
            // Node 3 watches another resource and node 4 is offline: neither may count as a holder.
            if (i == 4) continue;
            holdings[i] = new NodeHoldings(i == 3 ? Other : Resource, pool, i);
            for (var k = 0; k < 60; k++)
                if (random.NextDouble() < 0.4) holdings[i]!.Add(new PieceId(100 + random.Next(20), random.Next(Resource.PieceCount(0))));
        }
        var self = all[0];
        self.Holdings = holdings[0];
        foreach (var i in Enumerable.Range(1, 30).OrderBy(_ => random.Next())) self.Links[i] = new NeighbourLink(TimeSpan.FromMilliseconds(20), Instant.Zero);

        var availability = new NeighbourAvailability();
        // The pass looks at segments 104..111; the others are answered from the holdings directly.
        availability.Prepare(self, pool, 104, 8);
        var pieces = Resource.PieceCount(0);
        var asked = 0;
        for (var segment = 98L; segment < 122; segment++)
            for (var piece = 0; piece < pieces; piece++)
            {
                var key = new PieceId(segment, piece);
                var holders = self.Links.Keys.Where(i => i != 3 && holdings[i]?.Has(key) == true).ToList();
                Assert.Equal(holders.Count, availability.HolderCount(key));
                // Asked in a random order, not the slots' order.
                foreach (var i in self.Links.Keys.OrderBy(_ => random.Next()))
                {
                    Assert.Equal(holders.Contains(i), availability.Has(FlowNode.IdOf(i), key));
                    asked++;
                }
                Assert.False(availability.Has(FlowNode.IdOf(35), key));
            }
        Assert.Equal(24 * pieces * 30, asked);
        Assert.True(self.Links.Keys.Any(i => holdings[i]?.Has(new PieceId(105, 0)) == true), "the draw left segment 105 unheld");
    }
}
