namespace Shoal.Simulation.Reporting;

/// <summary>Placeholder until the reporting branch lands: writes nothing.</summary>
public static class SeriesCsvWriter
{
    public static IReadOnlyList<string> Write(string dir, SimulationSeries series) => [];
}
