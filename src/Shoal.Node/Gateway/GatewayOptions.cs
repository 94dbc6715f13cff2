namespace Shoal.Node.Gateway;

/// <summary>Settings of the player-facing gateway.</summary>
public sealed record GatewayOptions
{
    /// <summary>Loopback by default: the gateway is for players on this machine, not a public proxy.</summary>
    public string Host { get; init; } = DefaultHost;

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>How far the gateway holds a live playlist's edge back from the origin's, buying the swarm time.</summary>
    public TimeSpan LiveLag { get; init; } = TimeSpan.Zero;

    /// <summary>SEAMS.md: a plain file or FLV VOD stream is cut into fixed slices of this size (the segments of a file).</summary>
    public int FileSliceBytes { get; init; } = DefaultFileSliceBytes;

    /// <summary>How long a file's probed length and type are trusted before probing again.</summary>
    public TimeSpan ProbeCacheTime { get; init; } = TimeSpan.FromSeconds(DefaultProbeCacheSeconds);

    public int PieceSize { get; init; } = Storage.SegmentLayout.DefaultPieceSize;

    public bool LogRequests { get; init; }

    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;
    public const int DefaultFileSliceBytes = 4 * 1024 * 1024;
    public const int DefaultProbeCacheSeconds = 60;
}
