using Shoal.Core.Qos;

namespace Shoal.Tracker.Bench;

/// <summary>What one or more load runs measured: answered announces per second and their round-trip latency.</summary>
public sealed record AnnounceLoadResult(long Announces, long Lost, long Errors, long PeersReturned, TimeSpan Elapsed, IReadOnlyList<double> LatencySamplesMs)
{
    public static AnnounceLoadResult Empty { get; } = new(0, 0, 0, 0, TimeSpan.Zero, []);

    public double AnnouncesPerSecond => Elapsed > TimeSpan.Zero ? Announces / Elapsed.TotalSeconds : 0;

    public Percentiles? LatencyMs => Percentiles.Of(LatencySamplesMs);

    /// <summary>Two runs as one (rounds of an interleaved benchmark).</summary>
    public AnnounceLoadResult Plus(AnnounceLoadResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Announces + other.Announces, Lost + other.Lost, Errors + other.Errors, PeersReturned + other.PeersReturned, Elapsed + other.Elapsed, [.. LatencySamplesMs, .. other.LatencySamplesMs]);
    }
}
