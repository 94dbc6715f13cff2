using Shoal.Simulation.Reporting;

namespace Shoal.Simulation.Tests.Reporting;

public sealed class BufferHistogramTests
{
    [Theory]
    [InlineData(0, 0.01)]
    [InlineData(0.003, 0.01)]
    [InlineData(0.2, 0.2)]
    [InlineData(0.21, 0.5)]
    [InlineData(0.7, 1)]
    [InlineData(1.8, 2)]
    [InlineData(42, 50)]
    public void Widths_are_one_two_or_five_times_a_power_of_ten(double raw, double expected) =>
        Assert.Equal(expected, BufferHistogram.NiceWidth(raw), 9);

    [Fact]
    public void Every_finite_value_lands_in_exactly_one_bucket_and_the_largest_in_the_last()
    {
        // 0 to 100 s in steps that straddle bucket edges.
        var values = Enumerable.Range(0, 10_001).Select(i => i / 100.0).ToArray();
        var buckets = BufferHistogram.Build(values);

        Assert.Equal(values.Length, buckets.Sum(b => b.Count));
        Assert.Equal(2, buckets[0].Width);
        Assert.Equal(0, buckets[0].LowerBound);
        Assert.Equal(100, buckets[^1].LowerBound);
        Assert.Equal(1, buckets[^1].Count);
    }

    [Fact]
    public void Identical_values_make_one_bucket()
    {
        var buckets = BufferHistogram.Build([3, 3, 3]);
        var only = Assert.Single(buckets);
        Assert.Equal(3, only.Count);
        Assert.True(only.LowerBound <= 3 && 3 < only.LowerBound + only.Width);
    }

    [Fact]
    public void Non_finite_values_are_left_out_and_nothing_finite_means_no_buckets()
    {
        Assert.Empty(BufferHistogram.Build([]));
        Assert.Empty(BufferHistogram.Build([double.NaN, double.PositiveInfinity]));
        Assert.Equal(2, BufferHistogram.Build([1, double.NaN, 2]).Sum(b => b.Count));
    }
}
