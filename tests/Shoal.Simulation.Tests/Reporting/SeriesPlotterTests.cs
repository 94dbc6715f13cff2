using System.Buffers.Binary;
using Shoal.Simulation.Reporting;
using SkiaSharp;

namespace Shoal.Simulation.Tests.Reporting;

public sealed class SeriesPlotterTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Writes_the_three_plots_as_PNGs_of_the_stated_size()
    {
        using var dir = new TempDir();
        var paths = SeriesPlotter.Write(dir.Path, SyntheticSeries.WithSweep());

        Assert.Equal(["offload-vs-time.png", "buffer-distribution.png", "offload-vs-lag.png"], paths.Select(Path.GetFileName));
        Assert.All(paths, AssertPng);
    }

    [Fact]
    public void No_lag_plot_without_a_sweep()
    {
        using var dir = new TempDir();
        var paths = SeriesPlotter.Write(dir.Path, SyntheticSeries.WithoutSweep());

        Assert.Equal(2, paths.Count);
        Assert.False(File.Exists(dir.File("offload-vs-lag.png")));
        Assert.All(paths, AssertPng);
    }

    [Fact]
    public void An_empty_run_still_gets_its_plots()
    {
        using var dir = new TempDir();
        var paths = SeriesPlotter.Write(dir.Path, SyntheticSeries.Empty());

        Assert.Equal(2, paths.Count);
        Assert.All(paths, AssertPng);
    }

    [Fact]
    public void A_run_of_nothing_but_NaN_is_plotted_without_throwing()
    {
        using var dir = new TempDir();
        var nan = new TimeSeriesSample(0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        var series = new SimulationSeries("all-nan", [nan, nan with { TimeSeconds = 1 }], [double.NaN],
            [new LagPoint(6, double.NaN, double.NaN, double.NaN)]);

        Assert.All(SeriesPlotter.Write(dir.Path, series), AssertPng);
    }

    [Fact]
    public void An_unwritable_directory_is_an_IOException_that_names_the_path()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path);
        var blocker = dir.File("not-a-dir");
        File.WriteAllText(blocker, "");
        var target = Path.Combine(blocker, "plots");

        var error = Assert.ThrowsAny<IOException>(() => SeriesPlotter.Write(target, SyntheticSeries.WithSweep()));
        Assert.Contains(target, error.Message, StringComparison.Ordinal);
    }

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        // IHDR is always the first chunk: length (4), type (4), then width and height, big-endian.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(SeriesPlotter.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(SeriesPlotter.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        // And the whole file decodes, not just its header.
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(SeriesPlotter.Width, bitmap.Width);
    }
}
