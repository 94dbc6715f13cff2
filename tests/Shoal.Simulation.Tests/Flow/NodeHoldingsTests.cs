using Shoal.Core.Content;
using Shoal.Simulation.Flow;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Tests.Flow;

public sealed class NodeHoldingsTests
{
    private static readonly FlowResource Resource = new(new Scenario { StreamKbps = 1000, SegmentSeconds = 2, PieceKib = 64 }, 0, 1000);

    [Fact]
    public void A_segment_is_complete_once_every_piece_is_held_and_a_piece_counts_once()
    {
        var holdings = new NodeHoldings(Resource, new HoldingsPool(1, 8, NodeHoldings.WordsPerSegment(Resource)), 0);
        var pieces = Resource.PieceCount(3);
        Assert.Equal(4, pieces);
        for (var i = 0; i < pieces - 1; i++) Assert.True(holdings.Add(new PieceId(3, i)));
        Assert.False(holdings.Add(new PieceId(3, 0)));
        Assert.False(holdings.IsComplete(3));
        Assert.True(holdings.Add(new PieceId(3, pieces - 1)));
        Assert.True(holdings.IsComplete(3));
        Assert.False(holdings.Has(new PieceId(4, 0)));
    }

    [Fact]
    public void A_newer_segment_takes_over_a_ring_slot_and_an_older_one_is_refused()
    {
        var holdings = new NodeHoldings(Resource, new HoldingsPool(1, 8, NodeHoldings.WordsPerSegment(Resource)), 0);
        Assert.True(holdings.Add(new PieceId(2, 0)));
        Assert.True(holdings.Add(new PieceId(10, 1)));
        Assert.False(holdings.Has(new PieceId(2, 0)));
        Assert.True(holdings.Has(new PieceId(10, 1)));
        Assert.False(holdings.Add(new PieceId(2, 0)));
    }

    [Fact]
    public void Zipf_popularity_falls_with_rank_and_sums_to_one()
    {
        var zipf = new ZipfSampler(100, 0.8);
        Assert.Equal(1.0, Enumerable.Range(0, 100).Sum(zipf.Probability), 9);
        Assert.True(zipf.Probability(0) > zipf.Probability(1));
        var random = new Random(1);
        var draws = Enumerable.Range(0, 20_000).Select(_ => zipf.Draw(random)).ToList();
        Assert.InRange(draws.Count(d => d == 0) / 20_000.0, zipf.Probability(0) - 0.01, zipf.Probability(0) + 0.01);
        Assert.All(draws, d => Assert.InRange(d, 0, 99));
    }
}
