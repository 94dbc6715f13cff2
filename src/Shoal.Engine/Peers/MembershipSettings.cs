namespace Shoal.Engine.Peers;

/// <summary>How the neighbour set is kept: its bound, how often the worst is replaced, when a candidate is given up.</summary>
public sealed record MembershipSettings
{
    public static MembershipSettings Default { get; } = new();

    /// <summary>At most this many neighbours at once.</summary>
    public int MaxNeighbours { get; init; } = 20;

    /// <summary>Every this long, the worst neighbour makes room for a fresh candidate when the set is full.</summary>
    public TimeSpan ReplaceInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A neighbour is not judged (nor replaced) before it has been connected this long.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A candidate that failed to connect this many times is forgotten.</summary>
    public int MaxConnectFailures { get; init; } = 3;

    /// <summary>At most this many candidates are remembered.</summary>
    public int MaxCandidates { get; init; } = 200;

    /// <summary>Score weight of a super peer.</summary>
    public double SuperPeerBonus { get; init; } = 2.0;

    /// <summary>The RTT that halves a neighbour's score: lower RTT scores higher.</summary>
    public TimeSpan RttScale { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The rate (bytes per second) that counts as one unit of score.</summary>
    public double RateScale { get; init; } = 64 * 1024;
}
