namespace Shoal.Tracker.Http;

/// <summary>One swarm in GET /v1/swarms.</summary>
public sealed record SwarmView(string Rid, string? Url, int Seeders, int Leechers, int Completed, int SuperPeers, DateTimeOffset LastAnnounce);
