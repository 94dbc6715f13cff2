namespace Shoal.Tracker.Bench;

/// <summary>Shape of the announce load: how many client sockets, swarms and virtual peers, and when to stop.</summary>
public sealed record AnnounceLoadOptions
{
    /// <summary>Client sockets, each on its own thread with one announce in flight (a closed loop).</summary>
    public int Clients { get; init; } = 8;

    /// <summary>Swarms the announces spread over (RIDs from <see cref="AnnounceLoadGenerator.SwarmRids"/>).</summary>
    public int Swarms { get; init; } = 20;

    /// <summary>Virtual peers per client socket (distinct peer ids and ports), so swarms hold real peer lists.</summary>
    public int PeersPerClient { get; init; } = 100;

    /// <summary>Peers asked for in each announce.</summary>
    public int NumWant { get; init; } = 50;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop after this many announces even if the duration has not passed.</summary>
    public long MaxAnnounces { get; init; } = 10_000_000;

    /// <summary>An announce not answered within this is counted as lost and the client moves on.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
