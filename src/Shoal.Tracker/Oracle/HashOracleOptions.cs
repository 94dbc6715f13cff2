using Shoal.Core.Manifests;

namespace Shoal.Tracker.Oracle;

/// <summary>Settings of the hash oracle.</summary>
public sealed record HashOracleOptions
{
    /// <summary>SEAMS: a segment is at most 16 MiB; a bigger one is refused, not hashed.</summary>
    public long MaxSegmentBytes { get; init; } = 16L << 20;

    /// <summary>Never poll a live playlist faster than this, whatever its target duration says.</summary>
    public TimeSpan MinPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After a failed fetch, wait this long before trying again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Segments a live manifest keeps (see <see cref="LiveManifestOptions"/>).</summary>
    public int WindowSegments { get; init; } = LiveManifestOptions.DefaultWindowSegments;

    /// <summary>
    /// How long an instance stays in charge of a feed without polling it (the lease in the store): when it dies,
    /// another instance on the same store takes over after at most this long and continues the signed chain.
    /// </summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Segment size of a hashed plain file (PPIO's "FS"); a node's gateway cuts files the same way by default.</summary>
    public long FileSegmentBytes { get; init; } = Shoal.Core.Fragmentation.FragmentationOptions.DefaultSegmentSize;

    /// <summary>The largest plain file the oracle fetches to hash (it costs the origin one copy).</summary>
    public long MaxFileBytes { get; init; } = 4L << 30;

    /// <summary>Failed attempts at hashing a file before the oracle drops it until it is mapped again.</summary>
    public int MaxFileAttempts { get; init; } = 3;

    /// <summary>Concurrent playlists followed at most, so an API caller cannot make the tracker fetch the world.</summary>
    public int MaxFeeds { get; init; } = 1000;
}
