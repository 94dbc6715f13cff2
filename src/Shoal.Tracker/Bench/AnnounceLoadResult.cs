using Shoal.Core.Qos;

namespace Shoal.Tracker.Bench;

/// <summary>What one load run measured: answered announces per second and their round-trip latency.</summary>
public sealed record AnnounceLoadResult(long Announces, long Lost, long Errors, long PeersReturned, TimeSpan Elapsed, Percentiles? LatencyMs)
{
    public double AnnouncesPerSecond => Elapsed > TimeSpan.Zero ? Announces / Elapsed.TotalSeconds : 0;
}
