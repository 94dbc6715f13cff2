namespace Shoal.Tracker.Udp;

/// <summary>Settings of the BEP 15 tracker: timing, anti-amplification caps and the peer-list mix.</summary>
public sealed record UdpTrackerOptions
{
    /// <summary>The interval the tracker asks clients to re-announce at; peers silent for twice this are dropped.</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a peer stays listed without a re-announce, as a multiple of <see cref="AnnounceInterval"/>.</summary>
    public int PeerLifetimeIntervals { get; init; } = 2;

    public TimeSpan PeerLifetime => AnnounceInterval * PeerLifetimeIntervals;

    /// <summary>BEP 15: trackers accept a connection id until two minutes after sending it.</summary>
    public TimeSpan ConnectionIdLifetime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Resolution of the time stamp inside a connection id.</summary>
    public TimeSpan ConnectionIdTick { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Peers returned when a client sends num_want = -1 (BEP 15's "default").</summary>
    public int DefaultNumWant { get; init; } = 30;

    /// <summary>Hard cap on peers in one announce response, whatever num_want says.</summary>
    public int MaxPeersPerResponse { get; init; } = 50;

    /// <summary>
    /// Anti-amplification: an announce response is at most this many times the request's size (a 98-byte announce
    /// gets at most 294 bytes: 45 IPv4 peers or 15 IPv6 peers). Connect, scrape and error responses are never
    /// larger than their requests.
    /// </summary>
    public double MaxResponseToRequestRatio { get; init; } = 3.0;

    /// <summary>Share of a peer list given to super peers (the rest: nearby peers, then random peers).</summary>
    public double SuperPeerShare { get; init; } = 0.25;

    /// <summary>Share of a peer list given to peers in the asker's network (/24 for IPv4, /48 for IPv6).</summary>
    public double NearbyShare { get; init; } = 0.25;

    /// <summary>How many swarm members the store samples to build one peer list from.</summary>
    public int CandidateSampleSize { get; init; } = 200;

    /// <summary>How often expired peers are swept out of the store.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent receive loops on the one socket (0 = one per processor, at least two).</summary>
    public int ReceiveLoops { get; init; }
}
