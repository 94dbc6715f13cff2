namespace Shoal.Simulation.Reporting;

/// <summary>Offload measured by running the same scenario at one lag behind live.</summary>
public sealed record LagPoint(double LagSeconds, double Offload, double OffloadBound, double StallSecondsPer30Min);
