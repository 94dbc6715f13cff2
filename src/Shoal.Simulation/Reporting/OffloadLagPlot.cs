using ScottPlot;

namespace Shoal.Simulation.Reporting;

/// <summary>The price of being close to live: offload and its bound against lag, with stall time on the right axis.</summary>
internal static class OffloadLagPlot
{
    public static Plot Build(SimulationSeries series)
    {
        var plot = PlotCanvas.Create($"{series.ScenarioName}: offload vs lag behind live", "Lag behind live (s)", "Offload (%)");
        var right = plot.Axes.Right;
        right.Label.Text = "Stall time (s per 30 min)";
        // Sorted so the lines run left to right whatever order the sweep was run in.
        var points = series.LagSweep.OrderBy(p => p.LagSeconds).ToArray();
        if (points.Length == 0)
        {
            PlotCanvas.NoData(plot);
            return plot;
        }

        var lag = points.Select(p => p.LagSeconds).ToArray();
        var stall = points.Select(p => p.StallSecondsPer30Min).ToArray();
        PlotCanvas.AddLine(plot, lag, points.Select(p => p.OffloadBound * 100).ToArray(), Colors.Gray, "Offload bound (%)",
            pattern: LinePattern.Dashed, markerSize: 7);
        PlotCanvas.AddLine(plot, lag, points.Select(p => p.Offload * 100).ToArray(), Colors.Blue, "Offload (%)", markerSize: 7);
        PlotCanvas.AddLine(plot, lag, stall, Colors.OrangeRed, "Stall time (s per 30 min, right axis)", right, LinePattern.Dotted, 7);

        plot.Axes.SetLimitsY(-2, 102, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, PlotCanvas.MaxFinite(stall, 1) * 1.08, right);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
