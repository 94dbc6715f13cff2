using Shoal.Tracker.Peers;

namespace Shoal.Tracker.State;

/// <summary>
/// The latest report of one node to the super-peer registry, with the registry's verdict: uptime, upload capacity,
/// success rate (share of served requests that completed) and the byte counters the overview turns into offload.
/// </summary>
public sealed record NodeStatus(
    PeerId PeerId,
    string? Endpoint,
    double UptimeSeconds,
    long UploadCapacityBytesPerSecond,
    double SuccessRate,
    long BytesFromPeers,
    long BytesFromOrigin,
    bool IsSuper,
    DateTimeOffset LastReport);
