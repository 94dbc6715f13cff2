using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>Runs a <see cref="Scenario"/> on the flow-level simulator (see <see cref="FlowRun"/>).</summary>
public static class FlowSimulator
{
    /// <param name="scenario">The scenario; any scenario file runs, so the same file can calibrate against the packet simulator.</param>
    /// <param name="seed">Overrides the scenario's seed.</param>
    /// <param name="progress">Told the share of simulated time done, about a hundred times per run.</param>
    /// <param name="threads">
    /// Threads for the parallel phases (planning, the network's senders); by default one per core, at most 8. The history
    /// is the same whatever the number.
    /// </param>
    public static FlowRunResult Run(Scenario scenario, int? seed = null, IProgress<double>? progress = null, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread.");
        if (seed is { } s) scenario = scenario with { Seed = s };
        if (scenario.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(scenario));
        return new FlowRun(scenario, progress, threads ?? Math.Min(Environment.ProcessorCount, 8)).Run();
    }
}
