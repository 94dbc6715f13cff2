namespace Shoal.Simulation.Reporting;

/// <summary>One sample of a run, taken every sample interval of simulated time.</summary>
/// <param name="TimeSeconds">Simulated time of the sample.</param>
/// <param name="ViewersOnline">Viewers online at the sample instant.</param>
/// <param name="OffloadCumulative">Share of bytes to players that came from peers, since the start (0..1).</param>
/// <param name="OffloadInterval">Same, over the last interval only (0..1; NaN when nothing was delivered).</param>
/// <param name="OriginMbps">Origin egress over the last interval, Mbit/s.</param>
/// <param name="PeerMbps">Peer-to-peer bytes over the last interval, Mbit/s.</param>
/// <param name="BufferP5Seconds">Buffered media ahead of the playhead across online viewers, p5 (seconds).</param>
/// <param name="BufferP50Seconds">Same, p50.</param>
/// <param name="BufferP95Seconds">Same, p95.</param>
/// <param name="Stalled">Viewers stalled at the sample instant.</param>
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
