using System.Text.Json.Serialization;

namespace Shoal.Core.Qos;

/// <summary>The percentiles of one QoS figure across viewers (DESIGN.md "The numbers the product is judged by").</summary>
public sealed record Percentiles(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99")] double? P99 = null)
{
    /// <summary>
    /// Nearest-rank percentiles of the samples; null when there are none, because a figure that does not
    /// apply is omitted, never faked.
    /// </summary>
    public static Percentiles? Of(IEnumerable<double> samples, bool includeP99 = true)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var sorted = samples.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        return new Percentiles(Rank(sorted, 0.50), Rank(sorted, 0.95), includeP99 ? Rank(sorted, 0.99) : null);
    }

    private static double Rank(double[] sorted, double quantile)
    {
        var index = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
