using System.Net;

namespace Shoal.Tracker.Client;

/// <summary>What a tracker answered to an announce: when to come back, the swarm's size, and peers to contact.</summary>
public sealed record AnnounceResult(TimeSpan Interval, int Seeders, int Leechers, IReadOnlyList<IPEndPoint> Peers);
