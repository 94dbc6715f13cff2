namespace Shoal.Tracker.Http;

/// <summary>POST /v1/nodes/report: a node's figures for the super-peer registry and the overview's offload.</summary>
public sealed record NodeReport(
    string? PeerId,
    int? UdpPort,
    double UptimeS,
    long UploadCapacityBps,
    double SuccessRate,
    long BytesFromPeers = 0,
    long BytesFromOrigin = 0);
