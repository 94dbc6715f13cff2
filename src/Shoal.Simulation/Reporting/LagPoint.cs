namespace Shoal.Simulation.Reporting;

/// <summary>Offload measured by running the same scenario at one lag behind live.</summary>
/// <param name="LagSeconds">How far behind live the players were held.</param>
/// <param name="Offload">Offload reached at that lag (0..1).</param>
/// <param name="OffloadBound">The best offload physically possible at that lag (0..1).</param>
/// <param name="StallSecondsPer30Min">Stall time per 30 minutes watched at that lag.</param>
public sealed record LagPoint(double LagSeconds, double Offload, double OffloadBound, double StallSecondsPer30Min);
