namespace Shoal.Simulation.Reporting;

/// <summary>Everything the CSV and PNG writers need from one run.</summary>
/// <param name="ScenarioName">Shown in plot titles.</param>
/// <param name="Samples">The time series, in time order.</param>
/// <param name="BufferSecondsAllSamples">Every online viewer's buffer at every sample (for the distribution plot).</param>
/// <param name="LagSweep">Offload at several lags behind live; may be empty.</param>
public sealed record SimulationSeries(
    string ScenarioName,
    IReadOnlyList<TimeSeriesSample> Samples,
    IReadOnlyList<double> BufferSecondsAllSamples,
    IReadOnlyList<LagPoint> LagSweep);
