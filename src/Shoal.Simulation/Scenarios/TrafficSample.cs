namespace Shoal.Simulation.Scenarios;

/// <summary>The run's cumulative traffic at one instant (simulated seconds): enough to state the offload of any later stretch.</summary>
/// <param name="Seconds">When it was taken.</param>
/// <param name="ToPlayers">Bytes delivered to players so far.</param>
/// <param name="FromOrigin">Bytes fetched from the origin so far.</param>
public sealed record TrafficSample(double Seconds, long ToPlayers, long FromOrigin);
