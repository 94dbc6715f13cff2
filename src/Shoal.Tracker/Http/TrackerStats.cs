namespace Shoal.Tracker.Http;

/// <summary>GET /v1/stats: what this instance answered and the offload the nodes report (1 − origin bytes / delivered bytes).</summary>
public sealed record TrackerStats(long Connects, long Announces, long Scrapes, long Rejected, int Swarms, int Peers, int Nodes, int SuperPeers, long BytesFromPeers, long BytesFromOrigin, double? Offload);
