using CsCheck;
using Shoal.Engine.Channels;

namespace Shoal.Engine.Tests.Channels;

public sealed class ChunkRangeSetTests
{
    [Fact]
    public void Behaves_like_a_set_of_chunk_indices()
    {
        Gen.Select(Gen.UInt[0, 200], Gen.UInt[0, 6]).Array[1, 60].Sample(adds =>
        {
            var set = new ChunkRangeSet(int.MaxValue);
            var model = new HashSet<ulong>();
            foreach (var (start, width) in adds)
            {
                var end = (ulong)start + width;
                var wasPresent = true;
                for (var i = (ulong)start; i <= end; i++)
                {
                    wasPresent &= model.Contains(i);
                }

                Assert.Equal(!wasPresent, set.Add(start, end));
                for (var i = (ulong)start; i <= end; i++)
                {
                    model.Add(i);
                }
            }

            for (ulong i = 0; i < 210; i++)
            {
                Assert.Equal(model.Contains(i), set.ContainsAll(i, i));
            }

            // Ranges stay disjoint and non-adjacent: their count is the number of runs in the model.
            var runs = model.Count(i => !model.Contains(i - 1) || i == 0);
            Assert.Equal(runs, set.RangeCount);
        });
    }

    [Fact]
    public void Forgets_the_lowest_ranges_beyond_its_limit()
    {
        var set = new ChunkRangeSet(3);
        for (ulong i = 0; i < 10; i += 2)
        {
            set.Add(i, i);
        }

        Assert.Equal(3, set.RangeCount);
        Assert.False(set.ContainsAll(0, 0));
        Assert.True(set.ContainsAll(8, 8));
    }
}
