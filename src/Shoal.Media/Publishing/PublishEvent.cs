using Shoal.Media.Ffmpeg;

namespace Shoal.Media.Publishing;

/// <summary>Something a running publish reports: encoding progress, a signed manifest update, a restart, a warning.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">A sentence for people.</param>
public sealed record PublishEvent(PublishEventKind Kind, string Message)
{
    /// <summary>ffmpeg's progress, for <see cref="PublishEventKind.Progress"/>.</summary>
    public FfmpegProgress? Progress { get; init; }

    /// <summary>The rendition concerned, for manifest updates.</summary>
    public string? Rendition { get; init; }

    /// <summary>The media sequence numbers in the playlist when the manifest was updated.</summary>
    public IReadOnlyList<long> PlaylistSequences { get; init; } = [];

    /// <summary>The sequence numbers in the manifest just signed.</summary>
    public IReadOnlyList<long> ManifestSequences { get; init; } = [];

    /// <summary>The update number of the manifest just signed (0 for VOD).</summary>
    public long UpdateNumber { get; init; }
}
