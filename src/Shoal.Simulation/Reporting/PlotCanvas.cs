using ScottPlot;
using SkiaSharp;

namespace Shoal.Simulation.Reporting;

/// <summary>What the three report plots share: size, look, the "no data" notice, and NaN-safe lines.</summary>
internal static class PlotCanvas
{
    /// <summary>
    /// A sans-serif face when the machine has one. ScottPlot's own choice on Debian is whatever Skia lists
    /// first under /usr/share/fonts, which is DejaVu Serif; with no font at all, text is simply not drawn.
    /// </summary>
    private static readonly string? SansFont = FindFont("DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial");

    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont is not null) plot.Font.Set(SansFont);
        plot.Title(title, size: 18);
        // Font.Set drops the title's default bold along with its face.
        plot.Axes.Title.Label.Bold = true;
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>An empty run still gets a plot, one that says so rather than a blank frame that looks like a bug.</summary>
    public static void NoData(Plot plot)
    {
        var notice = plot.Add.Annotation("no data", Alignment.MiddleCenter);
        notice.LabelFontSize = 28;
        if (SansFont is not null) notice.LabelFontName = SansFont;
        // Without this the empty axes span -10..10, and a negative buffer or time would look like a bug of its own.
        plot.Axes.SetLimits(0, 1, 0, 1);
    }

    /// <summary>
    /// Draws (xs, ys) as one line per stretch of finite values: a NaN means "nothing measured there" and
    /// shows as a gap, never as a line drawn through it. Only the first stretch carries the legend text.
    /// </summary>
    public static int AddLine(
        Plot plot, IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color color, string legend,
        IYAxis? yAxis = null, LinePattern? pattern = null, float markerSize = 0)
    {
        int stretches = 0;
        foreach (var (runXs, runYs) in FiniteRuns(xs, ys))
        {
            var line = plot.Add.Scatter(runXs, runYs, color);
            line.LineWidth = 2;
            line.LinePattern = pattern ?? LinePattern.Solid;
            // A stretch of one point has no line to show, so it gets a marker or it would vanish.
            line.MarkerSize = runXs.Length == 1 ? Math.Max(markerSize, 5) : markerSize;
            if (yAxis is not null) line.Axes.YAxis = yAxis;
            if (stretches++ == 0) line.LegendText = legend;
        }
        return stretches;
    }

    internal static IEnumerable<(double[] Xs, double[] Ys)> FiniteRuns(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        int n = Math.Min(xs.Count, ys.Count);
        int i = 0;
        while (i < n)
        {
            while (i < n && !IsFinitePoint(xs[i], ys[i])) i++;
            int start = i;
            while (i < n && IsFinitePoint(xs[i], ys[i])) i++;
            if (i > start)
            {
                var runXs = new double[i - start];
                var runYs = new double[i - start];
                for (int k = start; k < i; k++)
                {
                    runXs[k - start] = xs[k];
                    runYs[k - start] = ys[k];
                }
                yield return (runXs, runYs);
            }
        }
    }

    /// <summary>The largest finite value, or <paramref name="fallback"/> when there is none worth scaling to.</summary>
    public static double MaxFinite(IEnumerable<double> values, double fallback)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v) && v > max) max = v;
        }
        return max > 0 ? max : fallback;
    }

    /// <summary>Renders and releases the plot: it holds native SkiaSharp resources.</summary>
    public static byte[] Png(Plot plot)
    {
        using (plot)
        {
            return plot.GetImageBytes(SeriesPlotter.Width, SeriesPlotter.Height, ImageFormat.Png);
        }
    }

    private static string? FindFont(params string[] families)
    {
        var installed = SKFontManager.Default.GetFontFamilies();
        return families.FirstOrDefault(f => installed.Contains(f, StringComparer.OrdinalIgnoreCase));
    }

    private static bool IsFinitePoint(double x, double y) => double.IsFinite(x) && double.IsFinite(y);
}
