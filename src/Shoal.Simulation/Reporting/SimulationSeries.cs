namespace Shoal.Simulation.Reporting;

/// <summary>Everything the writers need from one run.</summary>
public sealed record SimulationSeries(
    string ScenarioName,
    IReadOnlyList<TimeSeriesSample> Samples,
    IReadOnlyList<double> BufferSecondsAllSamples,
    IReadOnlyList<LagPoint> LagSweep);
