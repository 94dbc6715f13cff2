using CsCheck;
using Shoal.Core.Content;

namespace Shoal.Core.Tests.Content;

public sealed class ChunkAddressingTests
{
    [Fact]
    public void Global_chunk_splits_back_into_slot_and_chunk()
    {
        Gen.Select(Gen.Long[0, long.MaxValue / 2], Gen.Int[0, ChunkAddressing.SegmentSlotChunks - 1]).Sample((sequence, chunk) =>
        {
            var global = ChunkAddressing.GlobalChunk(sequence, chunk);
            var (slot, inSegment) = ChunkAddressing.Split(global);
            Assert.Equal(ChunkAddressing.SegmentSlot(sequence), slot);
            Assert.Equal(chunk, inSegment);
            Assert.Equal(sequence % (1L << 18), slot);
        });
    }

    [Fact]
    public void A_segment_is_an_aligned_subtree_of_the_resource_tree()
    {
        var bin = ChunkAddressing.SegmentBin(5);
        Assert.Equal(14, bin.Layer);
        Assert.Equal(ChunkAddressing.FirstGlobalChunk(5), (uint)bin.FirstChunk);
        Assert.Equal(ChunkAddressing.GlobalChunk(5, 16383), (uint)bin.LastChunk);
        var piece = ChunkAddressing.ToGlobal(5, Bin.FromLayerOffset(4, 3));
        Assert.Equal(ChunkAddressing.GlobalChunk(5, 48), (uint)piece.FirstChunk);
        Assert.True(bin.Contains(piece));
    }

    [Fact]
    public void Wrapped_slot_resolves_to_the_sequence_nearest_the_reference()
    {
        const long wrap = 1L << 18;
        Assert.Equal(wrap + 3, ChunkAddressing.SequenceNearest(3, wrap - 2));
        Assert.Equal(wrap - 1, ChunkAddressing.SequenceNearest((uint)(wrap - 1), wrap + 1));
        Assert.Equal(10, ChunkAddressing.SequenceNearest(10, 12));
        Gen.Select(Gen.Long[0, 1L << 40], Gen.Int[-1000, 1000]).Sample((reference, delta) =>
        {
            var sequence = Math.Max(0, reference + delta);
            Assert.Equal(sequence, ChunkAddressing.SequenceNearest(ChunkAddressing.SegmentSlot(sequence), reference));
        });
    }

    [Fact]
    public void Chunk_count_rounds_up_and_is_64_bit()
    {
        Assert.Equal(0, ChunkAddressing.ChunkCount(0));
        Assert.Equal(1, ChunkAddressing.ChunkCount(1));
        Assert.Equal(1, ChunkAddressing.ChunkCount(1024));
        Assert.Equal(2, ChunkAddressing.ChunkCount(1025));
        Assert.Equal((5L << 30) / 1024, ChunkAddressing.ChunkCount(5L << 30));
    }
}
