namespace Shoal.Node.Playback;

/// <summary>How a simulated viewer behaves: the same habits as a common HLS player (hls.js defaults).</summary>
public sealed record PlayerOptions
{
    /// <summary>A live stream starts this many segments before the end of the playlist (hls.js liveSyncDurationCount).</summary>
    public int LiveStartSegmentsFromEnd { get; init; } = 3;

    /// <summary>The player stops fetching ahead once this much media is buffered.</summary>
    public TimeSpan MaxBuffer { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound between reloads of a live playlist; RFC 8216 §6.3.4 asks for about half a target duration when nothing is new.</summary>
    public TimeSpan MaxPlaylistReloadInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait after a failed request before trying again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A single request that takes longer than this fails and is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
