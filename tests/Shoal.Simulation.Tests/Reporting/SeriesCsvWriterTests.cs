using System.Globalization;
using Shoal.Simulation.Reporting;

namespace Shoal.Simulation.Tests.Reporting;

public sealed class SeriesCsvWriterTests
{
    [Fact]
    public void Time_series_has_the_header_and_one_row_per_sample_with_its_values()
    {
        using var dir = new TempDir();
        SeriesCsvWriter.Write(dir.Path, SyntheticSeries.WithSweep());

        var csv = CsvTable.Read(dir.File("timeseries.csv"));
        Assert.Equal(SeriesCsvWriter.TimeSeriesHeader.Split(','), csv.Header);
        Assert.Equal(SyntheticSeries.Samples.Length, csv.Rows.Length);
        Assert.Equal(["2", "5", "0.5", "0.75", "1.125", "3.375", "1", "2.5", "4", "0"], csv.Rows[2]);
        // Bounded precision: shares to six decimals, Mbit/s and seconds to three.
        Assert.Equal("0.833", csv.Cell(1, "peer_mbps"));
        Assert.Equal("4", csv.Cell(2, "buffer_p95_s"));
        Assert.Equal("1", csv.Cell(1, "stalled"));
    }

    [Fact]
    public void NaN_is_an_empty_field_not_a_fake_number()
    {
        using var dir = new TempDir();
        SeriesCsvWriter.Write(dir.Path, SyntheticSeries.WithSweep());

        var series = CsvTable.Read(dir.File("timeseries.csv"));
        Assert.Equal(["0", "0", "0", "", "0", "0", "", "", "", "0"], series.Rows[0]);
        var lag = CsvTable.Read(dir.File("offload-vs-lag.csv"));
        Assert.Equal("", lag.Cell(3, "stall_s_per_30min"));
    }

    [Fact]
    public void Histogram_counts_add_up_to_every_buffer_value_in_equal_width_buckets()
    {
        using var dir = new TempDir();
        SeriesCsvWriter.Write(dir.Path, SyntheticSeries.WithSweep());

        var csv = CsvTable.Read(dir.File("buffers.csv"));
        Assert.Equal(["bucket_lower_s", "count"], csv.Header);
        Assert.Equal(SyntheticSeries.Buffers.Length, csv.Rows.Sum(r => long.Parse(r[1], CultureInfo.InvariantCulture)));
        var lower = csv.Rows.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0, lower[0]);
        var steps = lower.Zip(lower.Skip(1), (a, b) => Math.Round(b - a, 6)).Distinct();
        Assert.Single(steps);
        Assert.True(lower[^1] <= SyntheticSeries.Buffers.Max());
    }

    [Fact]
    public void Lag_sweep_is_written_in_its_own_order_with_all_columns()
    {
        using var dir = new TempDir();
        var paths = SeriesCsvWriter.Write(dir.Path, SyntheticSeries.WithSweep());

        Assert.Equal(["timeseries.csv", "buffers.csv", "offload-vs-lag.csv"], paths.Select(Path.GetFileName));
        var csv = CsvTable.Read(dir.File("offload-vs-lag.csv"));
        Assert.Equal(["lag_s", "offload", "offload_bound", "stall_s_per_30min"], csv.Header);
        Assert.Equal(["30", "0.97", "0.99", "0.4"], csv.Rows[0]);
        Assert.Equal(4, csv.Rows.Length);
    }

    [Fact]
    public void No_lag_file_without_a_sweep()
    {
        using var dir = new TempDir();
        var paths = SeriesCsvWriter.Write(dir.Path, SyntheticSeries.WithoutSweep());

        Assert.Equal(2, paths.Count);
        Assert.False(File.Exists(dir.File("offload-vs-lag.csv")));
    }

    [Fact]
    public void An_empty_run_still_gets_the_headers()
    {
        using var dir = new TempDir();
        SeriesCsvWriter.Write(dir.Path, SyntheticSeries.Empty());

        Assert.Equal(SeriesCsvWriter.TimeSeriesHeader + "\n", File.ReadAllText(dir.File("timeseries.csv")));
        Assert.Equal(SeriesCsvWriter.BuffersHeader + "\n", File.ReadAllText(dir.File("buffers.csv")));
    }

    [Fact]
    public void Numbers_use_a_dot_whatever_the_current_culture()
    {
        var before = CultureInfo.CurrentCulture;
        // The build runs in invariant-globalization mode, so a comma-decimal culture is made by hand.
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        try
        {
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture));
            Assert.Contains("\n1,3,0.25,0.25,2.5,", SeriesCsvWriter.TimeSeries(SyntheticSeries.Samples), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void An_unwritable_directory_is_an_IOException_that_names_the_path()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path);
        // A regular file where a directory should be: fails even for root, unlike file permissions.
        var blocker = dir.File("not-a-dir");
        File.WriteAllText(blocker, "");
        var target = Path.Combine(blocker, "out");

        var error = Assert.ThrowsAny<IOException>(() => SeriesCsvWriter.Write(target, SyntheticSeries.WithSweep()));
        Assert.Contains(target, error.Message, StringComparison.Ordinal);
    }
}
