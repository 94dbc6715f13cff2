namespace Shoal.Simulation.Reporting;

/// <summary>
/// Equal-width buckets over a set of buffer lengths, shared by buffers.csv and buffer-distribution.png so the
/// two always show the same counts. Streaming (two passes, no sort) because a 10,000-viewer, 30-minute run
/// yields tens of millions of values.
/// </summary>
public static class BufferHistogram
{
    /// <summary>About this many buckets across the observed range; the width is then rounded to 1, 2 or 5 × 10^k.</summary>
    public const int TargetBuckets = 50;

    /// <summary>Buffers are meaningful to about a hundredth of a second; finer buckets would only be noise.</summary>
    public const double MinimumWidth = 0.01;

    /// <summary>
    /// Buckets from the one holding the smallest value to the one holding the largest, empty ones included,
    /// so consecutive lower bounds show the width. Non-finite values are not counted: a buffer has no such value.
    /// </summary>
    public static IReadOnlyList<HistogramBucket> Build(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (min > max) return [];

        double width = NiceWidth((max - min) / TargetBuckets);
        double lower = Math.Floor(min / width) * width;
        int count = (int)Math.Floor((max - lower) / width) + 1;
        var counts = new long[count];
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v)) continue;
            // Clamped because (v - lower) / width can land a rounding error outside the range at either end.
            int index = Math.Clamp((int)Math.Floor((v - lower) / width), 0, count - 1);
            counts[index]++;
        }

        var buckets = new HistogramBucket[count];
        for (int i = 0; i < count; i++)
        {
            // Multiplying rather than accumulating keeps bounds like 0.3 from drifting to 0.30000000000000004.
            buckets[i] = new HistogramBucket(Math.Round(lower + i * width, 6), width, counts[i]);
        }
        return buckets;
    }

    /// <summary>The smallest of 1, 2 or 5 × 10^k that is at least <paramref name="raw"/>, and never below <see cref="MinimumWidth"/>.</summary>
    internal static double NiceWidth(double raw)
    {
        if (!(raw > MinimumWidth)) return MinimumWidth;
        double decade = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double step in (ReadOnlySpan<double>)[1, 2, 5, 10])
        {
            // A relative tolerance so that raw = 0.2 exactly picks 0.2, not 0.5 through a rounding error.
            if (step * decade >= raw * (1 - 1e-9)) return step * decade;
        }
        return 10 * decade;
    }
}
