using System.Text;

namespace Shoal.Simulation.Reporting;

/// <summary>Writes a run's time series, buffer histogram and lag sweep as CSV files for spreadsheets and scripts.</summary>
public static class SeriesCsvWriter
{
    public const string TimeSeriesFile = "timeseries.csv";
    public const string BuffersFile = "buffers.csv";
    public const string OffloadVsLagFile = "offload-vs-lag.csv";

    public const string TimeSeriesHeader =
        "time_s,viewers_online,offload_cumulative,offload_interval,origin_mbps,peer_mbps,buffer_p5_s,buffer_p50_s,buffer_p95_s,stalled";
    public const string BuffersHeader = "bucket_lower_s,count";
    public const string OffloadVsLagHeader = "lag_s,offload,offload_bound,stall_s_per_30min";

    /// <summary>
    /// Writes timeseries.csv, buffers.csv (histogram: bucket lower bound, count) and, when LagSweep is non-empty,
    /// offload-vs-lag.csv into <paramref name="dir"/> (created if missing). Returns the paths written.
    /// </summary>
    /// <exception cref="IOException">The directory or a file could not be written; the message names the path.</exception>
    public static IReadOnlyList<string> Write(string dir, SimulationSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        ReportFiles.EnsureDirectory(dir);
        var written = new List<string>
        {
            ReportFiles.WriteText(dir, TimeSeriesFile, TimeSeries(series.Samples)),
            ReportFiles.WriteText(dir, BuffersFile, Buffers(BufferHistogram.Build(series.BufferSecondsAllSamples))),
        };
        if (series.LagSweep.Count > 0)
        {
            written.Add(ReportFiles.WriteText(dir, OffloadVsLagFile, OffloadVsLag(series.LagSweep)));
        }
        return written;
    }

    // "\n" rather than Environment.NewLine: the same run gives byte-identical files on every OS.
    internal static string TimeSeries(IReadOnlyList<TimeSeriesSample> samples)
    {
        var csv = new StringBuilder(TimeSeriesHeader).Append('\n');
        foreach (var s in samples)
        {
            csv.Number(s.TimeSeconds, CsvFields.Seconds).Append(',')
                .Integer(s.ViewersOnline).Append(',')
                .Number(s.OffloadCumulative, CsvFields.Share).Append(',')
                .Number(s.OffloadInterval, CsvFields.Share).Append(',')
                .Number(s.OriginMbps, CsvFields.Mbps).Append(',')
                .Number(s.PeerMbps, CsvFields.Mbps).Append(',')
                .Number(s.BufferP5Seconds, CsvFields.Seconds).Append(',')
                .Number(s.BufferP50Seconds, CsvFields.Seconds).Append(',')
                .Number(s.BufferP95Seconds, CsvFields.Seconds).Append(',')
                .Integer(s.Stalled).Append('\n');
        }
        return csv.ToString();
    }

    internal static string Buffers(IReadOnlyList<HistogramBucket> buckets)
    {
        var csv = new StringBuilder(BuffersHeader).Append('\n');
        foreach (var b in buckets)
        {
            // Bounds are multiples of a width of at least 0.01 s, so three decimals print them exactly.
            csv.Number(b.LowerBound, CsvFields.Seconds).Append(',').Integer(b.Count).Append('\n');
        }
        return csv.ToString();
    }

    internal static string OffloadVsLag(IReadOnlyList<LagPoint> sweep)
    {
        var csv = new StringBuilder(OffloadVsLagHeader).Append('\n');
        foreach (var p in sweep)
        {
            csv.Number(p.LagSeconds, CsvFields.Seconds).Append(',')
                .Number(p.Offload, CsvFields.Share).Append(',')
                .Number(p.OffloadBound, CsvFields.Share).Append(',')
                .Number(p.StallSecondsPer30Min, CsvFields.Seconds).Append('\n');
        }
        return csv.ToString();
    }
}
