using CsCheck;
using Shoal.Core.Content;

namespace Shoal.Core.Tests.Content;

public sealed class BinTests
{
    [Fact]
    public void Bin_numbers_follow_RFC_7574_figure_2()
    {
        // RFC 7574 §4.2: leaves 0,2,4,6; layer 1: 1,5; layer 2: 3; layer 3: 7.
        Assert.Equal(0UL, Bin.Chunk(0).Value);
        Assert.Equal(6UL, Bin.Chunk(3).Value);
        Assert.Equal(1UL, Bin.FromLayerOffset(1, 0).Value);
        Assert.Equal(5UL, Bin.FromLayerOffset(1, 1).Value);
        Assert.Equal(3UL, Bin.FromLayerOffset(2, 0).Value);
        Assert.Equal(7UL, Bin.FromLayerOffset(3, 0).Value);
        Assert.Equal(new Bin(3), new Bin(1).Parent);
        Assert.Equal(new Bin(5), new Bin(1).Sibling);
        Assert.Equal(new Bin(4), new Bin(5).Left);
        Assert.Equal(new Bin(6), new Bin(5).Right);
    }

    [Fact]
    public void Layer_and_offset_round_trip_and_children_partition_their_parent()
    {
        Gen.Select(Gen.Int[1, 30], Gen.Long[0, 1L << 30]).Sample((layer, offset) =>
        {
            var bin = Bin.FromLayerOffset(layer, offset);
            Assert.Equal(layer, bin.Layer);
            Assert.Equal(offset, bin.Offset);
            Assert.Equal(bin.FirstChunk, bin.Left.FirstChunk);
            Assert.Equal(bin.LastChunk, bin.Right.LastChunk);
            Assert.Equal(bin.Left.LastChunk + 1, bin.Right.FirstChunk);
            Assert.Equal(bin, bin.Left.Parent);
            Assert.Equal(bin, bin.Right.Parent);
            Assert.True(bin.Contains(bin.Left) && bin.Contains(bin.Right) && !bin.Left.Contains(bin));
        });
    }
}
