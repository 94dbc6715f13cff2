namespace Shoal.Media.Publishing;

/// <summary>How a publish ended.</summary>
/// <param name="Succeeded">True when ffmpeg finished (or was stopped by the caller) and every manifest was written.</param>
/// <param name="Error">One line saying why it failed; empty on success.</param>
/// <param name="SegmentsSigned">Segments hashed into manifests, over all renditions.</param>
/// <param name="Restarts">How many times ffmpeg was restarted after a crash.</param>
/// <param name="Renditions">The renditions' folder names.</param>
public sealed record PublishResult(bool Succeeded, string Error, int SegmentsSigned, int Restarts, IReadOnlyList<string> Renditions);
