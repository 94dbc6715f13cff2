using ScottPlot;

namespace Shoal.Simulation.Reporting;

/// <summary>Offload (cumulative and per interval) on the left axis, origin and peer Mbit/s on the right, over time.</summary>
internal static class OffloadTimePlot
{
    public static Plot Build(SimulationSeries series)
    {
        var plot = PlotCanvas.Create($"{series.ScenarioName}: offload and traffic over time", "Simulated time (s)", "Offload (%)");
        var right = plot.Axes.Right;
        right.Label.Text = "Throughput (Mbit/s)";
        var samples = series.Samples;
        if (samples.Count == 0)
        {
            PlotCanvas.NoData(plot);
            return plot;
        }

        var time = samples.Select(s => s.TimeSeconds).ToArray();
        PlotCanvas.AddLine(plot, time, samples.Select(s => s.OffloadCumulative * 100).ToArray(), Colors.Blue, "Offload, cumulative (%)");
        PlotCanvas.AddLine(plot, time, samples.Select(s => s.OffloadInterval * 100).ToArray(), Colors.DodgerBlue.WithAlpha(0.6),
            "Offload, last interval (%)");
        var origin = samples.Select(s => s.OriginMbps).ToArray();
        var peers = samples.Select(s => s.PeerMbps).ToArray();
        PlotCanvas.AddLine(plot, time, origin, Colors.Red, "Origin egress (Mbit/s, right axis)", right);
        PlotCanvas.AddLine(plot, time, peers, Colors.Green, "Peer-to-peer (Mbit/s, right axis)", right, LinePattern.Dashed);

        // Offload is a share: a fixed 0..100 % scale keeps runs comparable. Traffic starts at zero so the origin's
        // peak reads against a true baseline; the headroom keeps the top line off the frame.
        plot.Axes.SetLimitsY(-2, 102, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, PlotCanvas.MaxFinite(origin.Concat(peers), 1) * 1.08, right);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
