namespace Shoal.Simulation.Reporting;

/// <summary>Renders a run's series as PNG plots (ScottPlot, SkiaSharp underneath; no display needed).</summary>
public static class SeriesPlotter
{
    public const int Width = 1200;
    public const int Height = 700;

    public const string OffloadVsTimeFile = "offload-vs-time.png";
    public const string BufferDistributionFile = "buffer-distribution.png";
    public const string OffloadVsLagFile = "offload-vs-lag.png";

    /// <summary>
    /// Writes offload-vs-time.png, buffer-distribution.png and, when LagSweep is non-empty, offload-vs-lag.png
    /// into <paramref name="dir"/> (created if missing). Returns the paths written.
    /// </summary>
    /// <exception cref="IOException">The directory or a file could not be written; the message names the path.</exception>
    public static IReadOnlyList<string> Write(string dir, SimulationSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        ReportFiles.EnsureDirectory(dir);
        var buckets = BufferHistogram.Build(series.BufferSecondsAllSamples);
        var written = new List<string>
        {
            ReportFiles.WriteBytes(dir, OffloadVsTimeFile, PlotCanvas.Png(OffloadTimePlot.Build(series))),
            ReportFiles.WriteBytes(dir, BufferDistributionFile, PlotCanvas.Png(BufferDistributionPlot.Build(series, buckets))),
        };
        if (series.LagSweep.Count > 0)
        {
            written.Add(ReportFiles.WriteBytes(dir, OffloadVsLagFile, PlotCanvas.Png(OffloadLagPlot.Build(series))));
        }
        return written;
    }
}
