using System.Globalization;
using ScottPlot;

namespace Shoal.Simulation.Reporting;

/// <summary>Histogram of every online viewer's buffer at every sample: how much media stood between viewers and a stall.</summary>
internal static class BufferDistributionPlot
{
    public static Plot Build(SimulationSeries series, IReadOnlyList<HistogramBucket> buckets)
    {
        var plot = PlotCanvas.Create($"{series.ScenarioName}: buffer ahead of the playhead, all viewers at all samples",
            "Buffered media (s)", "Viewer-samples");
        if (buckets.Count == 0)
        {
            PlotCanvas.NoData(plot);
            return plot;
        }

        long total = buckets.Sum(b => b.Count);
        var bars = plot.Add.Bars(buckets.Select(b => b.LowerBound + b.Width / 2), buckets.Select(b => (double)b.Count));
        foreach (var bar in bars.Bars)
        {
            // Bars as wide as their bucket, so the histogram reads as a continuous distribution.
            bar.Size = buckets[0].Width;
            bar.FillColor = Colors.SteelBlue;
            bar.LineWidth = 0;
        }
        bars.LegendText = string.Create(CultureInfo.InvariantCulture,
            $"{total:N0} viewer-samples, buckets of {buckets[0].Width:0.##} s");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
