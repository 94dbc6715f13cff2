namespace Shoal.Media.Verification;

/// <summary>The result of spot checking one segment of one rendition.</summary>
/// <param name="Rendition">The rendition's name.</param>
/// <param name="Sequence">The segment's media sequence number.</param>
/// <param name="Decodes">True when ffmpeg decoded it without an error.</param>
/// <param name="StartSeconds">Presentation time of its first video frame.</param>
/// <param name="DurationSeconds">Its video duration as probed.</param>
/// <param name="Score">SSIM or PSNR against the reference, when compared.</param>
/// <param name="Problems">Why it failed; empty when it passed.</param>
public sealed record SpotCheck(string Rendition, long Sequence, bool Decodes, double? StartSeconds, double? DurationSeconds, double? Score, IReadOnlyList<string> Problems)
{
    /// <summary>True when nothing was wrong.</summary>
    public bool Passed => Problems.Count == 0;
}
