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

    /// <summary>Concurrent playlists followed at most, so an API caller cannot make the tracker fetch the world.</summary>
    public int MaxFeeds { get; init; } = 1000;
}
