using CsCheck;
using Shoal.Core.Content;

namespace Shoal.Core.Tests.Content;

public sealed class SegmentLayoutTests
{
    [Fact]
    public void Pieces_tile_the_segment_and_only_the_last_is_short()
    {
        Gen.Select(Gen.Long[0, 16L << 20], Gen.Int[10, 24]).Sample((length, pieceBits) =>
        {
            var layout = new SegmentLayout(length, 1 << pieceBits);
            long covered = 0;
            for (var piece = 0; piece < layout.PieceCount; piece++)
            {
                Assert.Equal(covered, layout.PieceOffset(piece));
                Assert.True(piece == layout.PieceCount - 1 || layout.PieceLength(piece) == layout.PieceSize);
                Assert.Equal(piece, layout.PieceAt(layout.PieceOffset(piece)));
                var bin = layout.PieceBin(piece);
                Assert.Equal(layout.PieceOffset(piece) / ChunkAddressing.ChunkSize, bin.FirstChunk);
                Assert.Equal(layout.ChunksPerPiece, bin.ChunkCount);
                covered += layout.PieceLength(piece);
            }

            Assert.Equal(length, covered);
        });
    }

    [Fact]
    public void Bad_sizes_are_refused_with_the_reason()
    {
        Assert.Contains("power of two", Assert.Throws<ArgumentException>(() => new SegmentLayout(100, 3000)).Message, StringComparison.Ordinal);
        Assert.Contains("power of two", Assert.Throws<ArgumentException>(() => new SegmentLayout(100, 512)).Message, StringComparison.Ordinal);
        Assert.Contains("0 to 16777216", Assert.Throws<ArgumentException>(() => new SegmentLayout((16 << 20) + 1)).Message, StringComparison.Ordinal);
        Assert.Equal(0, default(SegmentLayout).PieceCount);
        Assert.Equal(0, new SegmentLayout(0).PieceCount);
    }
}
