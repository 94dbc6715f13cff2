namespace Shoal.Cli.Demo;

/// <summary>Settings of `shoal demo`: a whole swarm on loopback carrying a live channel.</summary>
internal sealed record DemoOptions
{
    public int Nodes { get; init; } = DefaultNodes;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(DefaultDurationSeconds);

    /// <summary>Print the QoS report as JSON on stdout (the live table goes to stderr).</summary>
    public bool Json { get; init; }

    /// <summary>Folder of HLS segments the origin replays as a live channel (samples/hls by default).</summary>
    public string? Samples { get; init; }

    /// <summary>Where the children's logs go; a fresh temporary folder by default.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Seconds between two viewers joining, so the swarm grows as a real audience does.</summary>
    public TimeSpan JoinInterval { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Every this-many-th viewer leaves half-way through and comes back a few seconds later.</summary>
    public int LeaverEvery { get; init; } = 5;

    public TimeSpan AwayFor { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The live channel's origin may serve at most this many Mbit/s in all (a small CDN bill); null for no limit.</summary>
    public double? OriginRateLimitMbit { get; init; } = 20;

    /// <summary>
    /// Each node's gateway holds the live edge back this far, so a new segment is in the swarm's peer window for a
    /// while before any player asks for it (DESIGN.md: more lag buys offload). PPLive quotes up to 90 s.
    /// </summary>
    public const int LagBehindLiveSeconds = 8;

    public const int DefaultNodes = 12;
    public const int DefaultDurationSeconds = 60;
}
