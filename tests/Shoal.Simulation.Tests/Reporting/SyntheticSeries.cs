using Shoal.Simulation.Reporting;

namespace Shoal.Simulation.Tests.Reporting;

/// <summary>Small hand-made series whose every value the tests can predict.</summary>
internal static class SyntheticSeries
{
    public static readonly TimeSeriesSample[] Samples =
    [
        new(0, 0, 0, double.NaN, 0, 0, double.NaN, double.NaN, double.NaN, 0),
        new(1, 3, 0.25, 0.25, 2.5, 0.8333333, 0.5, 1.25, 2, 1),
        new(2, 5, 0.5, 0.75, 1.125, 3.375, 1, 2.5, 4.0004, 0),
        new(3, 5, 0.6, 0.9, 0.4, 3.6, 1.5, 3, 6, 0),
    ];

    public static readonly double[] Buffers = [0, 0.3, 0.5, 1, 1.2, 2, 2, 2.5, 3.7, 4, 6, 0.1];

    public static readonly LagPoint[] Sweep =
    [
        new(30, 0.97, 0.99, 0.4),
        new(6, 0.8, 0.9, 3.2),
        new(10, 0.9, 0.95, 1.5),
        new(90, 0.99, 0.999, double.NaN),
    ];

    public static SimulationSeries WithSweep() => new("synthetic-live", Samples, Buffers, Sweep);

    public static SimulationSeries WithoutSweep() => new("synthetic-vod", Samples, Buffers, []);

    public static SimulationSeries Empty() => new("empty", [], [], []);
}
