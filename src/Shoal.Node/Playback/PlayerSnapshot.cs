namespace Shoal.Node.Playback;

/// <summary>What one simulated viewer has experienced so far; a copy, safe to read from any thread.</summary>
public sealed record PlayerSnapshot(
    string State,
    double? StartupSeconds,
    double BufferSeconds,
    double WatchedSeconds,
    double StallSeconds,
    int StallCount,
    long BytesReceived,
    int SegmentsDelivered,
    int Errors,
    string? LastError,
    IReadOnlyList<double> LagBehindLiveSamples);
