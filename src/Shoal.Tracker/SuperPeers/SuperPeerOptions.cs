namespace Shoal.Tracker.SuperPeers;

/// <summary>
/// Thresholds of the super-peer registry. A node is promoted when all of the promote thresholds hold and demoted
/// when any figure falls below its demote threshold; the gap between the two is hysteresis so a node near a
/// threshold does not flap. A node that stops reporting is demoted after <see cref="ReportTimeout"/>.
/// </summary>
public sealed record SuperPeerOptions
{
    public TimeSpan PromoteMinUptime { get; init; } = TimeSpan.FromMinutes(30);

    public long PromoteMinUploadBytesPerSecond { get; init; } = 2_500_000; // 20 Mbit/s

    public double PromoteMinSuccessRate { get; init; } = 0.95;

    public TimeSpan DemoteBelowUptime { get; init; } = TimeSpan.FromMinutes(10);

    public long DemoteBelowUploadBytesPerSecond { get; init; } = 1_250_000; // 10 Mbit/s

    public double DemoteBelowSuccessRate { get; init; } = 0.85;

    public TimeSpan ReportTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an instance re-reads the registry from the store (other instances may have changed it).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many super peers a push job goes to when the operator does not say.</summary>
    public int DefaultPushFanOut { get; init; } = 3;
}
