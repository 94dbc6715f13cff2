namespace Shoal.Tracker.Http;

/// <summary>The answer to an HTTP announce: "ip:port" peers and the swarm's figures; <c>your_address</c> is how the tracker sees the node.</summary>
public sealed record HttpAnnounceResponse(int IntervalS, int Seeders, int Leechers, IReadOnlyList<string> Peers, string YourAddress);
