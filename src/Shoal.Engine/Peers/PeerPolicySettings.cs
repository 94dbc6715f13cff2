namespace Shoal.Engine.Peers;

/// <summary>Thresholds of the hostile-peer policy: when a suspect is throttled, when it is dropped.</summary>
public sealed record PeerPolicySettings
{
    public static PeerPolicySettings Default { get; } = new();

    /// <summary>Bad chunks (failed Merkle verification) before the sender is banned. One: a hash never fails by chance.</summary>
    public int BadPiecesBeforeBan { get; init; } = 1;

    /// <summary>Unanswered requests (stalls, or pieces it announced but would not send) before it is throttled.</summary>
    public int StallsBeforeThrottle { get; init; } = 3;

    /// <summary>Unanswered requests before it is dropped.</summary>
    public int StallsBeforeDrop { get; init; } = 10;

    /// <summary>A delivered piece forgives this many stalls, so a once-slow neighbour recovers.</summary>
    public int StallsForgivenPerPiece { get; init; } = 1;

    /// <summary>Requests a neighbour may make per second (averaged over <see cref="RequestWindow"/>) before it counts as flooding.</summary>
    public double MaxRequestsPerSecond { get; init; } = 400;

    /// <summary>The window over which request floods are measured.</summary>
    public TimeSpan RequestWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Flooding windows before the neighbour is dropped (the first ones only throttle it).</summary>
    public int FloodWindowsBeforeDrop { get; init; } = 3;
}
