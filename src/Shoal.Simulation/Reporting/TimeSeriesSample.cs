namespace Shoal.Simulation.Reporting;

/// <summary>One sample of a run, taken every sample interval of simulated time.</summary>
public sealed record TimeSeriesSample(
    double TimeSeconds,
    int ViewersOnline,
    double OffloadCumulative,
    double OffloadInterval,
    double OriginMbps,
    double PeerMbps,
    double BufferP5Seconds,
    double BufferP50Seconds,
    double BufferP95Seconds,
    int Stalled);
